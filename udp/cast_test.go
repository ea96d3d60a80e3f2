package udp_test

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/udp"
)

// segment is an in-memory network with hosts on 10.0.0.0/24 and one on
// another segment, 10.0.1.0/24.
type segment struct {
	hosts []*mem.Host // 10.0.0.1, .2, .3
	other *mem.Host   // 10.0.1.1
}

func newSegment(t *testing.T) segment {
	n := mem.New(mem.WithSeed(7))
	var s segment
	for i, a := range []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"} {
		s.hosts = append(s.hosts, n.MustAddHost(string(rune('a'+i)),
			mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix(a + "/24")}}))
	}
	s.other = n.MustAddHost("z", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.1.1/24")}})
	return s
}

func boundOn(t *testing.T, h *mem.Host, addr netip.Addr, port int) *udp.Socket {
	t.Helper()
	s, err := udp.NewSocket(socket.WithTransport(h))
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	require.NoError(t, s.Bind(addr, port, transport.ShareAddress))
	return s
}

// got collects what s receives within a virtual second.
func got(t *testing.T, s *udp.Socket) []socket.Datagram {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var out []socket.Datagram
	_ = s.WaitUntil(ctx, func() bool {
		for s.HasPendingDatagrams() {
			dg, err := s.ReceiveDatagram()
			require.NoError(t, err)
			out = append(out, dg)
		}
		return false
	})
	return out
}

// Broadcast, subnet-directed and limited, reaches every socket bound to the
// port on the segment (ShareAddress fan-out) and no other.
func TestBroadcastOverMem(t *testing.T) {
	for _, dst := range []string{"10.0.0.255", "255.255.255.255"} {
		t.Run(dst, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				seg := newSegment(t)
				const port = 45454
				any4 := netip.IPv4Unspecified()
				b1 := boundOn(t, seg.hosts[1], any4, port)
				b2 := boundOn(t, seg.hosts[1], any4, port) // fan-out on one host
				c := boundOn(t, seg.hosts[2], any4, port)
				z := boundOn(t, seg.other, any4, port)
				other := boundOn(t, seg.hosts[2], any4, port+1)

				sender, err := udp.NewSocket(socket.WithTransport(seg.hosts[0]))
				require.NoError(t, err)
				defer sender.Destroy()
				n, err := sender.WriteDatagram([]byte("Broadcast message 1"), netip.MustParseAddr(dst), port)
				require.NoError(t, err)
				assert.Equal(t, 19, n)
				for _, r := range []*udp.Socket{b1, b2, c} {
					dgs := got(t, r)
					require.Len(t, dgs, 1)
					assert.Equal(t, "Broadcast message 1", string(dgs[0].Data))
					assert.Equal(t, netip.MustParseAddr("10.0.0.1"), dgs[0].SenderAddress)
					assert.Equal(t, netip.MustParseAddr(dst), dgs[0].DestinationAddress)
				}
				assert.Empty(t, got(t, z), "another segment")
				assert.Empty(t, got(t, other), "another port")
			})
		})
	}
}

// Multicast over the in-memory network: members get it with the group as
// destination, in order; TTL and loopback options apply.
func TestMulticastOverMem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		seg := newSegment(t)
		group := netip.MustParseAddr("239.255.43.21")
		const port = 45454
		any4 := netip.IPv4Unspecified()
		m1 := boundOn(t, seg.hosts[1], any4, port)
		m2 := boundOn(t, seg.hosts[2], any4, port)
		nonMember := boundOn(t, seg.hosts[2], any4, port+1)
		require.NoError(t, m1.JoinMulticastGroup(group, "eth0"))
		require.NoError(t, m2.JoinMulticastGroup(group, ""))

		sender := boundOn(t, seg.hosts[0], any4, 0)
		require.NoError(t, sender.SetMulticastInterface("eth0"))
		assert.Equal(t, "eth0", sender.MulticastInterface())
		require.NoError(t, sender.SetSocketOption(transport.MulticastTtlOption, 1))
		for _, p := range []string{"Multicast message 1", "Multicast message 2", "Multicast message 3", "Multicast message 4"} {
			_, err := sender.WriteDatagram([]byte(p), group, port)
			require.NoError(t, err)
		}
		for _, r := range []*udp.Socket{m1, m2} {
			dgs := got(t, r)
			require.Len(t, dgs, 4)
			for i, dg := range dgs {
				assert.Equal(t, "Multicast message "+string(rune('1'+i)), string(dg.Data))
				assert.Equal(t, group, dg.DestinationAddress)
				assert.Equal(t, port, dg.DestinationPort)
				assert.Equal(t, 1, dg.HopLimit)
			}
		}
		assert.Empty(t, got(t, nonMember))

		require.NoError(t, m2.LeaveMulticastGroup(group, ""))
		_, err := sender.WriteDatagram([]byte("after leave"), group, port)
		require.NoError(t, err)
		assert.Len(t, got(t, m1), 1)
		assert.Empty(t, got(t, m2))

		// multicastLeaveAfterClose: refused, nothing changes
		require.NoError(t, m1.Close())
		assert.Error(t, m1.LeaveMulticastGroup(group, ""))
	})
}
