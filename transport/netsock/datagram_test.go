package netsock_test

import (
	"context"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// bind opens a datagram socket and closes it at cleanup.
func bind(t *testing.T, tr transport.Transport, local netip.AddrPort, opts transport.BindOptions) transport.Datagram {
	t.Helper()
	d, err := tr.BindDatagram(context.Background(), local, opts)
	if local.Addr().Is6() && err != nil {
		t.Skipf("IPv6 unavailable: %v", err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	// No test may wait forever on a lost datagram.
	require.NoError(t, d.SetReadDeadline(time.Now().Add(5*time.Second)))
	return d
}

func bindLoop(t *testing.T, tr transport.Transport, addr netip.Addr) transport.Datagram {
	return bind(t, tr, netip.AddrPortFrom(addr, 0), transport.BindOptions{})
}

func TestOSDatagramMeta(t *testing.T) {
	for _, addr := range []netip.Addr{loop4, loop6} {
		t.Run(addr.String(), func(t *testing.T) {
			tr := newOS(t)
			a, b := bindLoop(t, tr, addr), bindLoop(t, tr, addr)
			n, err := a.WriteDatagram([]byte("hello"), b.LocalAddrPort())
			require.NoError(t, err)
			assert.Equal(t, 5, n)
			buf := make([]byte, 16)
			n, meta, err := b.ReadDatagram(buf)
			require.NoError(t, err)
			assert.Equal(t, "hello", string(buf[:n]))
			assert.Equal(t, a.LocalAddrPort(), meta.Src)
			assert.Equal(t, b.LocalAddrPort(), meta.Dst)
			assert.False(t, meta.Truncated)
			assert.Positive(t, meta.HopLimit)
			lo, err := net.InterfaceByName(loopbackName(t))
			require.NoError(t, err)
			assert.Equal(t, lo.Index, meta.IfIndex)
		})
	}
}

// loopbackName returns the loopback interface's name.
func loopbackName(t *testing.T) string {
	t.Helper()
	ifs, err := newOS(t).Interfaces()
	require.NoError(t, err)
	for _, ifi := range ifs {
		if ifi.Loopback && ifi.Up {
			return ifi.Name
		}
	}
	t.Skip("no loopback interface")
	return ""
}

func TestOSDatagramDualStackUnmaps(t *testing.T) {
	tr := newOS(t)
	dual := bind(t, tr, netip.AddrPort{}, transport.BindOptions{})
	a := bindLoop(t, tr, loop4)
	dst := netip.AddrPortFrom(loop4, dual.LocalAddrPort().Port())
	_, err := a.WriteDatagram([]byte("x"), dst)
	require.NoError(t, err)
	_, meta, err := dual.ReadDatagram(make([]byte, 4))
	require.NoError(t, err)
	assert.Equal(t, a.LocalAddrPort(), meta.Src)
	assert.Equal(t, dst, meta.Dst)
	// Replying to the unmapped IPv4 address works on the dual-stack socket.
	_, err = dual.WriteDatagram([]byte("y"), meta.Src)
	require.NoError(t, err)
	_, meta, err = a.ReadDatagram(make([]byte, 4))
	require.NoError(t, err)
	assert.Equal(t, loop4, meta.Src.Addr())
}

func TestOSDatagramTruncation(t *testing.T) {
	tr := newOS(t)
	a, b := bindLoop(t, tr, loop4), bindLoop(t, tr, loop4)
	_, err := a.WriteDatagram([]byte("0123456789"), b.LocalAddrPort())
	require.NoError(t, err)
	_, err = a.WriteDatagram([]byte("next"), b.LocalAddrPort())
	require.NoError(t, err)
	buf := make([]byte, 4)
	n, meta, err := b.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, "0123", string(buf))
	assert.True(t, meta.Truncated)
	// The rest of the long datagram is gone; the next one is whole.
	n, meta, err = b.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, "next", string(buf[:n]))
	assert.False(t, meta.Truncated)
}

func TestOSDatagramZeroLength(t *testing.T) {
	tr := newOS(t)
	a, b := bindLoop(t, tr, loop4), bindLoop(t, tr, loop4)
	n, err := a.WriteDatagram(nil, b.LocalAddrPort())
	require.NoError(t, err)
	assert.Zero(t, n)
	n, meta, err := b.ReadDatagram(make([]byte, 8))
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.False(t, meta.Truncated)
	assert.Equal(t, a.LocalAddrPort(), meta.Src)
}

func TestOSDatagramTooLarge(t *testing.T) {
	tr := newOS(t)
	a, b := bindLoop(t, tr, loop4), bindLoop(t, tr, loop4)
	_, err := a.WriteDatagram(make([]byte, 65508), b.LocalAddrPort())
	assert.ErrorIs(t, err, transport.DatagramTooLargeError)
	// The largest IPv4 payload fits through loopback (MTU 65536).
	n, err := a.WriteDatagram(make([]byte, 65507), b.LocalAddrPort())
	require.NoError(t, err)
	assert.Equal(t, 65507, n)
	buf := make([]byte, 70000)
	n, meta, err := b.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, 65507, n)
	assert.False(t, meta.Truncated)
	require.NoError(t, a.Connect(b.LocalAddrPort()))
	_, err = a.Write(make([]byte, 65508))
	assert.ErrorIs(t, err, transport.DatagramTooLargeError)
}

func TestOSDatagramConnected(t *testing.T) {
	tr := newOS(t)
	a, b, other := bindLoop(t, tr, loop4), bindLoop(t, tr, loop4), bindLoop(t, tr, loop4)
	// Queued before Connect: must still be filtered out.
	_, err := other.WriteDatagram([]byte("early intruder"), b.LocalAddrPort())
	require.NoError(t, err)
	_, err = b.Write([]byte("x"))
	assert.ErrorIs(t, err, transport.OperationError)
	require.NoError(t, b.Connect(a.LocalAddrPort()))
	assert.Equal(t, a.LocalAddrPort(), b.RemoteAddrPort())
	_, err = other.WriteDatagram([]byte("late intruder"), b.LocalAddrPort())
	require.NoError(t, err)
	_, err = a.WriteDatagram([]byte("peer"), b.LocalAddrPort())
	require.NoError(t, err)
	buf := make([]byte, 32)
	n, meta, err := b.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, "peer", string(buf[:n]))
	assert.Equal(t, a.LocalAddrPort(), meta.Src)
	_, err = b.Write([]byte("back"))
	require.NoError(t, err)
	n, _, err = a.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, "back", string(buf[:n]))
}

func TestOSDatagramConnectedRefused(t *testing.T) {
	tr := newOS(t)
	a, gone := bindLoop(t, tr, loop4), bindLoop(t, tr, loop4)
	dst := gone.LocalAddrPort()
	require.NoError(t, gone.Close())
	require.NoError(t, a.Connect(dst))
	_, err := a.Write([]byte("anyone?"))
	require.NoError(t, err)
	_, _, err = a.ReadDatagram(make([]byte, 8))
	assert.ErrorIs(t, err, transport.ConnectionRefusedError)
}

func TestOSDatagramDeadlineAndClose(t *testing.T) {
	d := bindLoop(t, newOS(t), loop4)
	require.NoError(t, d.SetReadDeadline(time.Now().Add(-time.Second)))
	_, _, err := d.ReadDatagram(make([]byte, 8))
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.ErrorIs(t, err, transport.SocketTimeoutError)
	require.NoError(t, d.Close())
	_, _, err = d.ReadDatagram(make([]byte, 8))
	assert.ErrorIs(t, err, net.ErrClosed)
	_, err = d.WriteDatagram([]byte("x"), netip.AddrPortFrom(loop4, 9))
	assert.ErrorIs(t, err, net.ErrClosed)
}

func TestOSDatagramBadInput(t *testing.T) {
	d := bindLoop(t, newOS(t), loop4)
	_, err := d.WriteDatagram([]byte("x"), netip.AddrPort{})
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
	assert.ErrorIs(t, d.Connect(netip.AddrPort{}), transport.SocketAddressNotAvailableError)
	assert.ErrorIs(t, d.JoinGroup(loop4, ""), transport.SocketAddressNotAvailableError)
	assert.ErrorIs(t, d.JoinGroup(netip.MustParseAddr("ff02::1"), ""), transport.UnsupportedSocketOperationError)
	assert.ErrorIs(t, d.JoinGroup(netip.MustParseAddr("239.1.2.3"), "no-such-if0"), transport.SocketAddressNotAvailableError)
	assert.ErrorIs(t, d.SetOption(transport.LowDelayOption, 1), transport.UnsupportedSocketOperationError)
}

func TestOSDatagramBindModes(t *testing.T) {
	tr := newOS(t)
	share := transport.BindOptions{Mode: transport.ShareAddress}
	a := bind(t, tr, netip.AddrPortFrom(loop4, 0), share)
	b := bind(t, tr, a.LocalAddrPort(), share)
	assert.Equal(t, a.LocalAddrPort(), b.LocalAddrPort())
	excl := bind(t, tr, netip.AddrPortFrom(loop4, 0), transport.BindOptions{Mode: transport.DontShareAddress})
	_, err := tr.BindDatagram(context.Background(), excl.LocalAddrPort(), share)
	assert.ErrorIs(t, err, transport.AddressInUseError)
	_, err = tr.BindDatagram(context.Background(), a.LocalAddrPort(), transport.BindOptions{Mode: transport.DontShareAddress})
	assert.ErrorIs(t, err, transport.AddressInUseError)
}

func TestOSDatagramOptions(t *testing.T) {
	d := bindLoop(t, newOS(t), loop4)
	require.NoError(t, d.SetOption(transport.MulticastTtlOption, 3))
	v, err := d.Option(transport.MulticastTtlOption)
	require.NoError(t, err)
	assert.Equal(t, 3, v)
	for _, want := range []int{0, 1} {
		require.NoError(t, d.SetOption(transport.MulticastLoopbackOption, want))
		v, err = d.Option(transport.MulticastLoopbackOption)
		require.NoError(t, err)
		assert.Equal(t, want, v)
	}
	require.NoError(t, d.SetOption(transport.TypeOfServiceOption, 0x20))
	v, err = d.Option(transport.TypeOfServiceOption)
	require.NoError(t, err)
	assert.Equal(t, 0x20, v)
	require.NoError(t, d.SetOption(transport.SendBufferSizeSocketOption, 1<<15))
	v, err = d.Option(transport.SendBufferSizeSocketOption)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, v, 1<<15)
	assert.Error(t, d.SetOption(transport.PathMtuSocketOption, 1500))
}
