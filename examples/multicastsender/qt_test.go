package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/examples/multicast"
	"github.com/slotnet/slotnet/internal/qtcompat"
)

// qtMulticast is the PyQt5 multicast sender and receiver written for the
// interop tests.
const qtMulticast = "../testdata/qt/multicast.py"

// A member on real Qt 5, bound as Qt's example binds (AnyIPv4,
// ShareAddress|ReuseAddressHint) and joined to 239.255.43.21 on lo, gets
// every message of the Go sender. The sender's outgoing interface is lo
// and its TTL 1, so nothing leaves the host.
func TestQtReceiver(t *testing.T) {
	qt := qtcompat.Start(t, "PyQt5.QtNetwork", qtMulticast, "receive", multicast.Group4.String(), "0", "lo", "3")
	port, err := strconv.Atoi(qt.Line("joined: "))
	require.NoError(t, err)
	var out strings.Builder
	require.NoError(t, run(&out, config{port: port, ttl: 1, iface: "lo", interval: 20 * time.Millisecond, count: 3}))
	var want strings.Builder
	for n := 1; n <= 3; n++ {
		fmt.Fprintf(&want, "Now sending datagram %d to %v\n", n, multicast.Group4)
		assert.Equal(t, multicast.Message(n), qt.Line("received: "))
	}
	assert.Equal(t, want.String(), out.String())
	assert.Empty(t, qt.Wait())
}
