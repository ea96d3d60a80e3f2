package main

import (
	"net"
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

// freeUDPPort returns a UDP port nothing on 0.0.0.0 uses right now.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp4", "0.0.0.0:0")
	require.NoError(t, err)
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// The Go member, joined to 239.255.43.21 on lo, prints every message of a
// sender on real Qt 5 whose outgoing interface is lo (TTL 1), so nothing
// leaves the host.
func TestQtSender(t *testing.T) {
	qtcompat.Need(t, "PyQt5.QtNetwork")
	port := freeUDPPort(t)
	var out strings.Builder
	ready := make(chan struct{})
	errs := make(chan error, 1)
	go func() { errs <- run(&out, config{port: port, iface: "lo", count: 3}, ready) }()
	select {
	case <-ready:
	case err := <-errs:
		t.Fatalf("the receiver did not start: %v", err)
	}
	qt := qtcompat.Start(t, "PyQt5.QtNetwork", qtMulticast, "send", multicast.Group4.String(), strconv.Itoa(port), "1", "lo", "3", "20")
	select {
	case err := <-errs:
		require.NoError(t, err)
	case <-time.After(qtcompat.LineTimeout):
		t.Fatalf("the receiver is still waiting; Qt's sender printed %q", qt.Wait())
	}
	assert.Equal(t, "Received datagram: \"Multicast message 1\"\nReceived datagram: \"Multicast message 2\"\nReceived datagram: \"Multicast message 3\"\n", out.String())
	assert.Equal(t, []string{"sent: 1", "sent: 2", "sent: 3"}, qt.Wait())
}
