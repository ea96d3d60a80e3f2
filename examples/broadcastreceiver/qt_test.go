package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/internal/qtcompat"
)

// qtBroadcast is the PyQt5 broadcast sender and receiver written for the
// interop tests.
const qtBroadcast = "../testdata/qt/broadcast.py"

// The Go receiver prints every message of a sender on real Qt 5. The Qt
// sender binds 127.0.0.1 and writes to lo's broadcast address
// 127.255.255.255, so nothing leaves the host.
func TestQtSender(t *testing.T) {
	qtcompat.Need(t, "PyQt5.QtNetwork")
	port := qtcompat.FreeUDPPort(t)
	var out strings.Builder
	ready := make(chan struct{})
	errs := make(chan error, 1)
	go func() { errs <- run(&out, port, 3, ready) }()
	select {
	case <-ready:
	case err := <-errs:
		t.Fatalf("the receiver did not start: %v", err)
	}
	qt := qtcompat.Start(t, "PyQt5.QtNetwork", qtBroadcast, "send", "127.0.0.1", "127.255.255.255", strconv.Itoa(port), "3", "20")
	select {
	case err := <-errs:
		require.NoError(t, err)
	case <-time.After(qtcompat.LineTimeout):
		t.Fatalf("the receiver is still waiting; Qt's sender printed %q", qt.Wait())
	}
	assert.Equal(t, "Received datagram: \"Broadcast message 1\"\nReceived datagram: \"Broadcast message 2\"\nReceived datagram: \"Broadcast message 3\"\n", out.String())
	assert.Equal(t, []string{"sent: 1", "sent: 2", "sent: 3"}, qt.Wait())
}
