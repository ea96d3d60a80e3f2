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
	"github.com/slotnet/slotnet/internal/netnstest"
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

// IPv6: the Go sender, built and run in a namespace of the test's own,
// writes to ff12::2115 by its end of a veth pair (hop limit 1); a member
// on real Qt 5 in the other namespace, joined on its end, gets every
// message. IPv6 multicast over the host's lo is not delivered on Linux,
// hence the namespaces; nothing leaves by the host's interfaces.
func TestQtReceiverIPv6(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs it in a network namespace")
	}
	qtcompat.Need(t, "PyQt5.QtNetwork")
	p := netnstest.New(t)
	p.RequireIPv6(t)
	qt := qtcompat.StartIn(t, p.ReceiverNS, "PyQt5.QtNetwork", qtMulticast, "receive", multicast.Group6.String(), "45454", p.ReceiverIf, "3")
	assert.Equal(t, "45454", qt.Line("joined: "))
	bin := netnstest.Build(t, ".")
	gosend := qtcompat.StartCommand(t, "multicastsender", netnstest.Exec(p.SenderNS, bin, "-ipv6", "-iface", p.SenderIf,
		"-ttl", "1", "-interval", "20ms", "-count", "3")...)
	for n := 1; n <= 3; n++ {
		assert.Equal(t, fmt.Sprintf("%d to %v", n, multicast.Group6), gosend.Line("Now sending datagram "))
		assert.Equal(t, multicast.Message(n), qt.Line("received: "))
	}
	assert.Empty(t, gosend.Wait())
	assert.Empty(t, qt.Wait())
}
