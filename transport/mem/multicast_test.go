package mem

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

var dgGroup = netip.MustParseAddr("239.1.2.3")

func TestBroadcastReachesTheSubnet(t *testing.T) {
	for _, dst := range []string{"255.255.255.255:6000", "10.0.0.255:6000"} {
		t.Run(dst, func(t *testing.T) {
			w := newDGWorld(t)
			onA := bindDG(t, w.a, "0.0.0.0:6000", transport.BindOptions{})
			onB := bindDG(t, w.b, "[::]:6000", transport.BindOptions{Mode: transport.ShareAddress})
			onBExact := bindDG(t, w.b, "10.0.0.2:6000", transport.BindOptions{Mode: transport.ShareAddress})
			onC := bindDG(t, w.c, "0.0.0.0:6000", transport.BindOptions{})
			tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{Broadcast: true})
			dgSend(t, tx, "hello all", dst)

			for name, s := range map[string]*DatagramSocket{"sender's host": onA, "same subnet": onB} {
				p, meta := dgRecv(t, s)
				assert.Equal(t, "hello all", p, name)
				assert.Equal(t, dgAP(dst), meta.Dst, name)
				assert.Equal(t, netip.MustParseAddr("10.0.0.1"), meta.Src.Addr(), name)
				assert.Equal(t, 2, meta.IfIndex, name)
			}
			assert.Equal(t, 0, dgPending(onBExact), "a socket bound to a unicast address hears no broadcast")
			assert.Equal(t, 0, dgPending(onC), "another subnet hears nothing")
			assert.Equal(t, uint64(1), w.a.Counters().DatagramsSent)
		})
	}
}

func TestBroadcastNeedsTheOption(t *testing.T) {
	w := newDGWorld(t)
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	_, err := tx.WriteDatagram([]byte("x"), dgAP("255.255.255.255:6000"))
	require.ErrorIs(t, err, transport.SocketAccessError)
	_, err = tx.WriteDatagram([]byte("x"), dgAP("10.0.0.255:6000"))
	require.ErrorIs(t, err, transport.SocketAccessError)
}

func TestBroadcastTooLarge(t *testing.T) {
	w := newDGWorld(t)
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{Broadcast: true})
	_, err := tx.WriteDatagram(make([]byte, 1473), dgAP("255.255.255.255:6000"))
	require.ErrorIs(t, err, transport.DatagramTooLargeError)
}

func TestMulticastJoinLeave(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "0.0.0.0:7000", transport.BindOptions{})
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, tx, "before join", "239.1.2.3:7000")
	assert.Equal(t, 0, dgPending(rx), "not a member yet")

	require.NoError(t, rx.JoinGroup(dgGroup, ""))
	dgSend(t, tx, "member", "239.1.2.3:7000")
	p, meta := dgRecv(t, rx)
	assert.Equal(t, "member", p)
	assert.Equal(t, transport.DatagramMeta{Src: netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), tx.LocalAddrPort().Port()),
		Dst: dgAP("239.1.2.3:7000"), HopLimit: 1, IfIndex: 2}, meta)

	require.ErrorIs(t, rx.JoinGroup(dgGroup, "eth0"), transport.AddressInUseError, "joined twice")
	require.NoError(t, rx.LeaveGroup(dgGroup, "eth0"))
	require.ErrorIs(t, rx.LeaveGroup(dgGroup, ""), transport.SocketAddressNotAvailableError, "not a member")
	dgSend(t, tx, "after leave", "239.1.2.3:7000")
	assert.Equal(t, 0, dgPending(rx))
}

func TestMulticastJoinErrors(t *testing.T) {
	w := newDGWorld(t)
	s := bindDG(t, w.b, "0.0.0.0:7000", transport.BindOptions{})
	require.ErrorIs(t, s.JoinGroup(netip.MustParseAddr("10.0.0.1"), ""), transport.SocketAddressNotAvailableError)
	require.ErrorIs(t, s.JoinGroup(dgGroup, "eth9"), transport.SocketAddressNotAvailableError)
	require.ErrorIs(t, s.JoinGroup(netip.MustParseAddr("ff02::1:3"), ""), transport.NetworkError, "an IPv4 socket")
	require.ErrorIs(t, s.SetMulticastInterface("eth9"), transport.SocketAddressNotAvailableError)
	require.NoError(t, s.JoinGroup(dgGroup, "lo"))
}

func TestMulticastShareAddressAllReceive(t *testing.T) {
	w := newDGWorld(t)
	share := transport.BindOptions{Mode: transport.ShareAddress}
	var members []*DatagramSocket
	for range 3 {
		s := bindDG(t, w.b, "0.0.0.0:7000", share)
		require.NoError(t, s.JoinGroup(dgGroup, ""))
		members = append(members, s)
	}
	byGroup := bindDG(t, w.b, "239.1.2.3:7000", share)
	require.NoError(t, byGroup.JoinGroup(dgGroup, ""))
	members = append(members, byGroup)
	notJoined := bindDG(t, w.b, "0.0.0.0:7000", share)

	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, tx, "copy for each", "239.1.2.3:7000")
	for i, s := range members {
		p, _ := dgRecv(t, s)
		assert.Equal(t, "copy for each", p, "member %d", i)
	}
	assert.Equal(t, 0, dgPending(notJoined), "membership is per socket")
	assert.Equal(t, uint64(4), w.b.Counters().DatagramsReceived)
}

func TestDatagramAddressInUseWithoutShareAddress(t *testing.T) {
	w := newDGWorld(t)
	bindDG(t, w.b, "0.0.0.0:7000", transport.BindOptions{Mode: transport.ShareAddress})
	_, err := w.b.BindDatagram(t.Context(), dgAP("0.0.0.0:7000"), transport.BindOptions{})
	require.ErrorIs(t, err, transport.AddressInUseError)
}

func TestMulticastLoopbackAndTTL(t *testing.T) {
	cases := []struct {
		name          string
		ttl, loop     int
		local, remote bool
	}{
		{"defaults: TTL 1, loop on", 1, 1, true, true},
		{"loop off", 1, 0, false, true},
		{"TTL 0: this host only", 0, 1, true, false},
		{"TTL 0, loop off: nobody", 0, 0, false, false},
		{"TTL 32: still only the LAN", 32, 1, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newDGWorld(t)
			w.n.MustAddHost("d", IfaceConfig{Prefixes: dgPrefixes("10.0.0.4/24")})
			local := bindDG(t, w.a, "0.0.0.0:7000", transport.BindOptions{Mode: transport.ShareAddress})
			remote := bindDG(t, w.b, "0.0.0.0:7000", transport.BindOptions{})
			far := bindDG(t, w.c, "0.0.0.0:7000", transport.BindOptions{})
			for _, s := range []*DatagramSocket{local, remote, far} {
				require.NoError(t, s.JoinGroup(dgGroup, ""))
			}
			tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
			require.NoError(t, tx.SetOption(transport.MulticastTtlOption, c.ttl))
			require.NoError(t, tx.SetOption(transport.MulticastLoopbackOption, c.loop))
			dgSend(t, tx, "m", "239.1.2.3:7000")
			assert.Equal(t, c.local, dgPending(local) == 1, "sending host")
			assert.Equal(t, c.remote, dgPending(remote) == 1, "same LAN")
			assert.Equal(t, 0, dgPending(far), "another subnet: no multicast routing")
			if c.remote {
				_, meta := dgRecv(t, remote)
				assert.Equal(t, c.ttl, meta.HopLimit)
			}
		})
	}
}

func TestMulticastInterfaceChoice(t *testing.T) {
	n := New(WithSeed(dgSeed))
	// r has two LANs; x is on the first, y on the second.
	r := n.MustAddHost("r", IfaceConfig{Prefixes: dgPrefixes("10.1.0.1/24")}, IfaceConfig{Prefixes: dgPrefixes("10.2.0.1/24")})
	x := n.MustAddHost("x", IfaceConfig{Prefixes: dgPrefixes("10.1.0.2/24")})
	y := n.MustAddHost("y", IfaceConfig{Prefixes: dgPrefixes("10.2.0.2/24")})
	onX := bindDG(t, x, "0.0.0.0:7000", transport.BindOptions{})
	onY := bindDG(t, y, "0.0.0.0:7000", transport.BindOptions{})
	require.NoError(t, onX.JoinGroup(dgGroup, ""))
	require.NoError(t, onY.JoinGroup(dgGroup, ""))

	tx := bindDG(t, r, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, tx, "default", "239.1.2.3:7000")
	assert.Equal(t, []string{"default"}, dgDrain(t, onX), "the first interface by default")
	assert.Empty(t, dgDrain(t, onY))

	require.NoError(t, tx.SetMulticastInterface("eth1"))
	dgSend(t, tx, "eth1", "239.1.2.3:7000")
	assert.Empty(t, dgDrain(t, onX))
	p, meta := dgRecv(t, onY)
	assert.Equal(t, "eth1", p)
	assert.Equal(t, netip.MustParseAddr("10.2.0.1"), meta.Src.Addr(), "the source is the outgoing interface's")

	viaOpt := bindDG(t, r, "0.0.0.0:0", transport.BindOptions{Interface: "eth1"})
	dgSend(t, viaOpt, "bind option", "239.1.2.3:7000")
	assert.Equal(t, []string{"bind option"}, dgDrain(t, onY))

	// Via loopback the dgGroup reaches this host only, whatever the loop flag.
	onR := bindDG(t, r, "0.0.0.0:7000", transport.BindOptions{})
	require.NoError(t, onR.JoinGroup(dgGroup, "lo"))
	require.NoError(t, tx.SetMulticastInterface("lo"))
	require.NoError(t, tx.SetOption(transport.MulticastLoopbackOption, 0))
	dgSend(t, tx, "lo", "239.1.2.3:7000")
	p, meta = dgRecv(t, onR)
	assert.Equal(t, "lo", p)
	assert.Equal(t, 1, meta.IfIndex)
	assert.Empty(t, dgDrain(t, onX))
}

func TestMulticastIPv6(t *testing.T) {
	w := newDGWorld(t)
	g6 := netip.MustParseAddr("ff12::1234")
	rx := bindDG(t, w.b, "[::]:7000", transport.BindOptions{})
	require.NoError(t, rx.JoinGroup(g6, ""))
	tx := bindDG(t, w.a, "[::]:0", transport.BindOptions{})
	dgSend(t, tx, "six", "[ff12::1234]:7000")
	p, meta := dgRecv(t, rx)
	assert.Equal(t, "six", p)
	assert.Equal(t, netip.MustParseAddr("fd00::1"), meta.Src.Addr())
	_, err := tx.WriteDatagram(make([]byte, 1500-48+1), dgAP("[ff12::1234]:7000"))
	require.ErrorIs(t, err, transport.DatagramTooLargeError)
}
