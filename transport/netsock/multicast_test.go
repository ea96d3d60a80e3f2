package netsock_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// multicastOnLoopback sends one datagram to group over the loopback
// interface only (outgoing interface lo, TTL 0) to two receivers that
// share one port, and checks both receive it with the group as destination.
func multicastOnLoopback(t *testing.T, group, src netip.Addr) {
	tr := newOS(t)
	lo := loopbackName(t)
	share := transport.BindOptions{Mode: transport.ShareAddress}
	r1 := bind(t, tr, netip.AddrPortFrom(group, 0), share)
	r2 := bind(t, tr, r1.LocalAddrPort(), share)
	for _, r := range []transport.Datagram{r1, r2} {
		if err := r.JoinGroup(group, lo); err != nil {
			t.Skipf("kernel refuses to join %v on %s: %v", group, lo, err)
		}
	}
	s := bind(t, tr, netip.AddrPortFrom(src, 0), transport.BindOptions{Interface: lo})
	require.NoError(t, s.SetOption(transport.MulticastTtlOption, 0))
	require.NoError(t, s.SetOption(transport.MulticastLoopbackOption, 1))
	dst := netip.AddrPortFrom(group, r1.LocalAddrPort().Port())
	if _, err := s.WriteDatagram([]byte("to the group"), dst); err != nil {
		t.Skipf("kernel refuses multicast over %s: %v", lo, err)
	}
	for _, r := range []transport.Datagram{r1, r2} {
		buf := make([]byte, 32)
		n, meta, err := r.ReadDatagram(buf)
		require.NoError(t, err)
		assert.Equal(t, "to the group", string(buf[:n]))
		assert.Equal(t, dst, meta.Dst)
		assert.Equal(t, s.LocalAddrPort(), meta.Src)
	}
	for _, r := range []transport.Datagram{r1, r2} {
		require.NoError(t, r.LeaveGroup(group, lo))
	}
}

func TestOSMulticastLoopbackIPv4(t *testing.T) {
	multicastOnLoopback(t, netip.MustParseAddr("239.255.42.99"), loop4)
}

func TestOSMulticastLoopbackIPv6(t *testing.T) {
	multicastOnLoopback(t, netip.MustParseAddr("ff01::4299"), loop6)
}

func TestOSBroadcastLoopback(t *testing.T) {
	tr := newOS(t)
	bcast := netip.MustParseAddr("127.255.255.255")
	r, err := tr.BindDatagram(context.Background(), netip.AddrPortFrom(bcast, 0), transport.BindOptions{})
	if err != nil {
		t.Skipf("cannot bind the loopback broadcast address: %v", err)
	}
	defer r.Close()
	dst := netip.AddrPortFrom(bcast, r.LocalAddrPort().Port())

	quiet := bind(t, tr, netip.AddrPortFrom(loop4, 0), transport.BindOptions{})
	_, err = quiet.WriteDatagram([]byte("x"), dst)
	assert.ErrorIs(t, err, transport.SocketAccessError, "SO_BROADCAST is off without BindOptions.Broadcast")

	s := bind(t, tr, netip.AddrPortFrom(loop4, 0), transport.BindOptions{Broadcast: true})
	if _, err := s.WriteDatagram([]byte("to all"), dst); err != nil {
		t.Skipf("kernel refuses loopback broadcast: %v", err)
	}
	buf := make([]byte, 16)
	n, meta, err := r.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, "to all", string(buf[:n]))
	assert.Equal(t, dst, meta.Dst)
	assert.Equal(t, s.LocalAddrPort(), meta.Src)
}
