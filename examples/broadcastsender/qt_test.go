package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/examples/broadcast"
	"github.com/slotnet/slotnet/internal/qtcompat"
)

// qtBroadcast is the PyQt5 broadcast sender and receiver written for the
// interop tests.
const qtBroadcast = "../testdata/qt/broadcast.py"

// A receiver on real Qt 5, bound as Qt's example binds (QHostAddress::Any,
// ShareAddress), gets every message of the Go sender. Everything stays on
// loopback: the sender binds 127.0.0.1 and writes to lo's broadcast
// address 127.255.255.255, never to 255.255.255.255.
func TestQtReceiver(t *testing.T) {
	qt := qtcompat.Start(t, "PyQt5.QtNetwork", qtBroadcast, "receive", "any", "0", "3")
	port, err := strconv.Atoi(qt.Line("bound: "))
	require.NoError(t, err)
	var out strings.Builder
	require.NoError(t, run(&out, config{port: port, address: "127.255.255.255", bind: "127.0.0.1",
		interval: 20 * time.Millisecond, count: 3}))
	assert.Equal(t, "Now broadcasting datagram 1\nNow broadcasting datagram 2\nNow broadcasting datagram 3\n", out.String())
	for n := 1; n <= 3; n++ {
		assert.Equal(t, broadcast.Message(n), qt.Line("received: "))
	}
	assert.Empty(t, qt.Wait())
}
