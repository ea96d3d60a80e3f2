package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/examples/multicast"
	"github.com/slotnet/slotnet/internal/netnstest"
	"github.com/slotnet/slotnet/internal/qtcompat"
)

// qtMulticast is the PyQt5 multicast sender and receiver written for the
// interop tests.
const qtMulticast = "../testdata/qt/multicast.py"

// The Go member, joined to 239.255.43.21 on lo, prints every message of a
// sender on real Qt 5 whose outgoing interface is lo (TTL 1), so nothing
// leaves the host.
func TestQtSender(t *testing.T) {
	qtcompat.Need(t, "PyQt5.QtNetwork")
	port := qtcompat.FreeUDPPort(t)
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
	assert.Equal(t, "Listening for multicast messages on 239.255.43.21 port "+strconv.Itoa(port)+"\nReceived datagram: \"Multicast message 1\"\nReceived datagram: \"Multicast message 2\"\nReceived datagram: \"Multicast message 3\"\n", out.String())
	assert.Equal(t, []string{"sent: 1", "sent: 2", "sent: 3"}, qt.Wait())
}

// IPv6: the Go member, built and run in a namespace of the test's own,
// joins ff12::2115 on its end of a veth pair; a sender on real Qt 5 in the
// other namespace writes by its end (hop limit 1), and the Go member
// prints every message. IPv6 multicast over the host's lo is not
// delivered on Linux, hence the namespaces; nothing leaves by the host's
// interfaces.
func TestQtSenderIPv6(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs it in a network namespace")
	}
	qtcompat.Need(t, "PyQt5.QtNetwork")
	p := netnstest.New(t)
	p.RequireIPv6(t)
	bin := netnstest.Build(t, ".")
	gorecv := qtcompat.StartCommand(t, "multicastreceiver", netnstest.Exec(p.ReceiverNS, bin, "-ipv6", "-iface", p.ReceiverIf, "-count", "3")...)
	assert.Equal(t, multicast.Group6.String()+" port 45454", gorecv.Line("Listening for multicast messages on "))
	qt := qtcompat.StartIn(t, p.SenderNS, "PyQt5.QtNetwork", qtMulticast, "send", multicast.Group6.String(), "45454", "1", p.SenderIf, "3", "20")
	for n := 1; n <= 3; n++ {
		assert.Equal(t, strconv.Itoa(n), qt.Line("sent: "))
		assert.Equal(t, strconv.Quote(multicast.Message(n)), gorecv.Line("Received datagram: "))
	}
	assert.Empty(t, gorecv.Wait())
	assert.Empty(t, qt.Wait())
}
