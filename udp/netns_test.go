//go:build linux

package udp_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/slotnet/slotnet/internal/netnstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/slotnet/slotnet/udp"
)

// boundIn makes a UDP socket over the OS transport bound in namespace ns.
func boundIn(t *testing.T, ns string, addr netip.Addr, port int) *udp.Socket {
	t.Helper()
	s, err := udp.NewSocket(socket.WithTransport(netsock.New()))
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	netnstest.Do(t, ns, func() error { return s.Bind(addr, port, transport.ShareAddress) })
	return s
}

// receive waits (blocking mode) until s has n datagrams and returns them.
func receive(t *testing.T, s *udp.Socket, n int) []socket.Datagram {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []socket.Datagram
	require.NoError(t, s.WaitUntil(ctx, func() bool {
		for s.HasPendingDatagrams() {
			dg, err := s.ReceiveDatagram()
			require.NoError(t, err)
			out = append(out, dg)
		}
		return len(out) >= n
	}), "got %d of %d datagrams", len(out), n)
	return out
}

// Broadcast, subnet-directed and limited, from one namespace reaches
// every ShareAddress socket bound to the port in the other.
func TestBroadcastBetweenNamespaces(t *testing.T) {
	p := netnstest.New(t)
	const port = 45454
	any4 := netip.IPv4Unspecified()
	r1 := boundIn(t, p.ReceiverNS, any4, port)
	r2 := boundIn(t, p.ReceiverNS, any4, port) // fan-out
	sender := boundIn(t, p.SenderNS, any4, 0)
	for i, dst := range []netip.Addr{p.Broadcast, netip.AddrFrom4([4]byte{255, 255, 255, 255})} {
		msg := fmt.Sprintf("Broadcast message %d", i+1)
		n, err := sender.WriteDatagram([]byte(msg), dst, port)
		require.NoError(t, err, dst.String())
		assert.Equal(t, len(msg), n)
		for _, r := range []*udp.Socket{r1, r2} {
			dgs := receive(t, r, 1)
			require.Len(t, dgs, 1)
			assert.Equal(t, msg, string(dgs[0].Data))
			assert.Equal(t, p.SenderAddr, dgs[0].SenderAddress)
			assert.Equal(t, sender.LocalPort(), dgs[0].SenderPort)
			assert.Equal(t, dst, dgs[0].DestinationAddress)
			assert.Equal(t, port, dgs[0].DestinationPort)
		}
	}
}

// Multicast between the namespaces: joined on the veth in the receiver's
// namespace, sent with SetMulticastInterface(veth) from the other; four
// datagrams in order with the group as destination; the TTL option and a
// per-datagram hop limit and interface; loopback to the sender's own
// namespace follows MulticastLoopbackOption.
func TestMulticastBetweenNamespaces(t *testing.T) {
	p := netnstest.New(t)
	groups := []netip.Addr{netip.MustParseAddr("239.255.43.21")}
	if p.IPv6 {
		groups = append(groups, netip.MustParseAddr("ff12::2115"))
	} else {
		t.Log("IPv6 unavailable on the veth: ff12::2115 not tested")
	}
	for _, group := range groups {
		t.Run(group.String(), func(t *testing.T) {
			const port = 45455
			anyAddr := netip.IPv4Unspecified()
			if group.Is6() {
				anyAddr = netip.IPv6Unspecified()
			}
			r := boundIn(t, p.ReceiverNS, anyAddr, port)
			netnstest.Do(t, p.ReceiverNS, func() error { return r.JoinMulticastGroup(group, p.ReceiverIf) })
			local := boundIn(t, p.SenderNS, anyAddr, port) // a member in the sender's namespace
			netnstest.Do(t, p.SenderNS, func() error { return local.JoinMulticastGroup(group, p.SenderIf) })

			sender := boundIn(t, p.SenderNS, anyAddr, 0)
			netnstest.Do(t, p.SenderNS, func() error { return sender.SetMulticastInterface(p.SenderIf) })
			assert.Equal(t, p.SenderIf, sender.MulticastInterface())
			require.NoError(t, sender.SetSocketOption(transport.MulticastTtlOption, 3))
			ttl, err := sender.SocketOption(transport.MulticastTtlOption)
			require.NoError(t, err)
			assert.Equal(t, 3, ttl)
			require.NoError(t, sender.SetSocketOption(transport.MulticastLoopbackOption, 0))

			for i := range 4 {
				_, err := sender.WriteDatagram(fmt.Appendf(nil, "Multicast message %d", i+1), group, port)
				require.NoError(t, err)
			}
			dgs := receive(t, r, 4)
			require.Len(t, dgs, 4)
			for i, dg := range dgs {
				assert.Equal(t, fmt.Sprintf("Multicast message %d", i+1), string(dg.Data))
				assert.Equal(t, group, dg.DestinationAddress)
				assert.Equal(t, port, dg.DestinationPort)
				assert.Equal(t, 3, dg.HopLimit, "the multicast TTL option")
			}

			// One datagram with its own hop limit, by the interface's index.
			var sIndex, rIndex int
			netnstest.Do(t, p.SenderNS, func() error { return ifIndex(p.SenderIf, &sIndex) })
			netnstest.Do(t, p.ReceiverNS, func() error { return ifIndex(p.ReceiverIf, &rIndex) })
			dg := socket.NewDatagram([]byte("hop limit 5"), group, port)
			dg.HopLimit, dg.InterfaceIndex = 5, sIndex
			_, err = sender.WriteNetworkDatagram(dg)
			require.NoError(t, err)
			got := receive(t, r, 1)
			require.Len(t, got, 1)
			assert.Equal(t, "hop limit 5", string(got[0].Data))
			assert.Equal(t, 5, got[0].HopLimit)
			assert.Equal(t, rIndex, got[0].InterfaceIndex)

			// Loopback: off above, so the local member has nothing; on, it
			// gets the next one (in order behind anything looped before).
			require.NoError(t, sender.SetSocketOption(transport.MulticastLoopbackOption, 1))
			_, err = sender.WriteDatagram([]byte("looped"), group, port)
			require.NoError(t, err)
			mine := receive(t, local, 1)
			require.Len(t, mine, 1)
			assert.Equal(t, "looped", string(mine[0].Data), "nothing looped back while the option was off")
			assert.Equal(t, "looped", string(receive(t, r, 1)[0].Data))
		})
	}
}

// Multicast over the loopback interface, with the outgoing interface set
// to lo first: in a namespace of the test's own, whose lo gets the
// MULTICAST flag that the host's lo lacks here. Four datagrams in order,
// destination = group, the sender's port.
func TestMulticastOverLoopback(t *testing.T) {
	p := netnstest.New(t) // only its sender namespace is used
	netnstest.IP(t, "-n", p.SenderNS, "link", "set", "lo", "multicast", "on")
	// IPv4 only: an IPv6 group sent by lo (with a multicast route added
	// for it) is not delivered back on Linux 6.18; ff12::2115 is tested
	// over the veth pair above.
	groups := []netip.Addr{netip.MustParseAddr("239.255.43.21")}
	for _, group := range groups {
		t.Run(group.String(), func(t *testing.T) {
			const port = 45456
			anyAddr := netip.IPv4Unspecified()
			if group.Is6() {
				anyAddr = netip.IPv6Unspecified()
			}
			sender := boundIn(t, p.SenderNS, anyAddr, 0)
			netnstest.Do(t, p.SenderNS, func() error { return sender.SetMulticastInterface("lo") })
			r := boundIn(t, p.SenderNS, anyAddr, port)
			netnstest.Do(t, p.SenderNS, func() error { return r.JoinMulticastGroup(group, "lo") })
			for i := range 4 {
				_, err := sender.WriteDatagram(fmt.Appendf(nil, "Multicast message %d", i+1), group, port)
				require.NoError(t, err)
			}
			dgs := receive(t, r, 4)
			require.Len(t, dgs, 4)
			for i, dg := range dgs {
				assert.Equal(t, fmt.Sprintf("Multicast message %d", i+1), string(dg.Data))
				assert.Equal(t, group, dg.DestinationAddress)
				assert.Equal(t, sender.LocalPort(), dg.SenderPort)
			}
			netnstest.Do(t, p.SenderNS, func() error { return r.LeaveMulticastGroup(group, "lo") })
		})
	}
}

func ifIndex(name string, out *int) error {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return err
	}
	*out = ifi.Index
	return nil
}
