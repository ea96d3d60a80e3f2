package netsock_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

var (
	loop4 = netip.MustParseAddr("127.0.0.1")
	loop6 = netip.IPv6Loopback()
)

// newOS returns an OS transport logging to t.
func newOS(t *testing.T) *netsock.Transport {
	return netsock.New(netsock.WithLogger(zaptest.NewLogger(t)))
}

// listen opens a listener on a loopback address and closes it at cleanup.
func listen(t *testing.T, tr transport.Transport, addr netip.Addr) transport.Listener {
	t.Helper()
	l, err := tr.Listen(context.Background(), netip.AddrPortFrom(addr, 0), transport.ListenOptions{})
	if addr.Is6() && err != nil {
		t.Skipf("IPv6 loopback unavailable: %v", err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

// pair dials a listener on addr and returns the client and server streams.
func pair(t *testing.T, tr transport.Transport, addr netip.Addr) (client, server transport.Stream) {
	t.Helper()
	l := listen(t, tr, addr)
	accepted := make(chan transport.Stream, 1)
	go func() {
		s, err := l.AcceptStream(context.Background())
		assert.NoError(t, err)
		accepted <- s
	}()
	c, err := tr.Dial(context.Background(), l.AddrPort(), transport.DialOptions{})
	require.NoError(t, err)
	server = <-accepted
	require.NotNil(t, server)
	t.Cleanup(func() { c.Close(); server.Close() })
	return c, server
}

func TestOSDialAcceptEcho(t *testing.T) {
	for _, addr := range []netip.Addr{loop4, loop6} {
		t.Run(addr.String(), func(t *testing.T) {
			c, s := pair(t, newOS(t), addr)
			assert.Equal(t, s.LocalAddrPort(), c.RemoteAddrPort())
			assert.Equal(t, c.LocalAddrPort(), s.RemoteAddrPort())
			assert.Equal(t, addr, c.LocalAddrPort().Addr())
			_, err := c.Write([]byte("ping"))
			require.NoError(t, err)
			buf := make([]byte, 4)
			_, err = io.ReadFull(s, buf)
			require.NoError(t, err)
			assert.Equal(t, "ping", string(buf))
			_, err = s.Write([]byte("pong"))
			require.NoError(t, err)
			_, err = io.ReadFull(c, buf)
			require.NoError(t, err)
			assert.Equal(t, "pong", string(buf))
		})
	}
}

func TestOSDialFromLocalAddress(t *testing.T) {
	tr := newOS(t)
	l := listen(t, tr, loop4)
	local := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.2"), 0)
	c, err := tr.Dial(context.Background(), l.AddrPort(), transport.DialOptions{Local: local, NoDelay: true, SendBuf: 1 << 16})
	require.NoError(t, err)
	defer c.Close()
	s, err := l.AcceptStream(context.Background())
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, local.Addr(), c.LocalAddrPort().Addr())
	assert.Equal(t, c.LocalAddrPort(), s.RemoteAddrPort())
	v, err := c.Option(transport.LowDelayOption)
	require.NoError(t, err)
	assert.Equal(t, 1, v)
}

func TestOSDialRefused(t *testing.T) {
	tr := newOS(t)
	l := listen(t, tr, loop4)
	addr := l.AddrPort()
	require.NoError(t, l.Close())
	_, err := tr.Dial(context.Background(), addr, transport.DialOptions{})
	require.Error(t, err)
	assert.ErrorIs(t, err, transport.ConnectionRefusedError)
	assert.Equal(t, transport.ConnectionRefusedError, transport.CodeOf(err))
}

func TestOSDialCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newOS(t).Dial(ctx, netip.AddrPortFrom(loop4, 9), transport.DialOptions{})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestOSDialDeadline(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := newOS(t).Dial(ctx, netip.AddrPortFrom(loop4, 9), transport.DialOptions{})
	require.Error(t, err)
	assert.ErrorIs(t, err, transport.SocketTimeoutError)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
}

func TestOSDialInvalid(t *testing.T) {
	_, err := newOS(t).Dial(context.Background(), netip.AddrPort{}, transport.DialOptions{})
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
}

func TestOSListenAddressInUse(t *testing.T) {
	tr := newOS(t)
	for _, mode := range []transport.BindMode{transport.DefaultForPlatform, transport.DontShareAddress, transport.ShareAddress} {
		l := listen(t, tr, loop4)
		_, err := tr.Listen(context.Background(), l.AddrPort(), transport.ListenOptions{Mode: mode})
		assert.ErrorIs(t, err, transport.AddressInUseError, "mode %v", mode)
	}
}

// foreignAddr returns a documentation address this host does not own.
func foreignAddr(t *testing.T) netip.Addr {
	t.Helper()
	own := map[netip.Addr]bool{}
	addrs, err := net.InterfaceAddrs()
	require.NoError(t, err)
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			own[p.Addr()] = true
		}
	}
	for _, s := range []string{"192.0.2.1", "198.51.100.1", "203.0.113.1"} {
		if a := netip.MustParseAddr(s); !own[a] {
			return a
		}
	}
	t.Skip("every documentation address is local")
	return netip.Addr{}
}

func TestOSAddressNotAvailable(t *testing.T) {
	tr := newOS(t)
	_, err := tr.Listen(context.Background(), netip.AddrPortFrom(foreignAddr(t), 0), transport.ListenOptions{})
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
	_, err = tr.BindDatagram(context.Background(), netip.AddrPortFrom(foreignAddr(t), 0), transport.BindOptions{})
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
}

func TestOSListenBacklog(t *testing.T) {
	tr := newOS(t)
	l, err := tr.Listen(context.Background(), netip.AddrPortFrom(loop4, 0), transport.ListenOptions{Backlog: 2, Mode: transport.ReuseAddressHint})
	require.NoError(t, err)
	defer l.Close()
	c, err := tr.Dial(context.Background(), l.AddrPort(), transport.DialOptions{})
	require.NoError(t, err)
	defer c.Close()
	s, err := l.Accept()
	require.NoError(t, err)
	s.Close()
}

func TestOSCloseWriteHalfClose(t *testing.T) {
	for _, clientCloses := range []bool{true, false} {
		closer, reader := pair(t, newOS(t), loop4)
		if !clientCloses {
			closer, reader = reader, closer
		}
		_, err := closer.Write([]byte("last"))
		require.NoError(t, err)
		require.NoError(t, closer.CloseWrite())
		got, err := io.ReadAll(reader)
		require.NoError(t, err)
		assert.Equal(t, "last", string(got))
		// The half-closed side still reads.
		_, err = reader.Write([]byte("reply"))
		require.NoError(t, err)
		buf := make([]byte, 5)
		_, err = io.ReadFull(closer, buf)
		require.NoError(t, err)
		assert.Equal(t, "reply", string(buf))
	}
}

func TestOSEOFIsPlain(t *testing.T) {
	c, s := pair(t, newOS(t), loop4)
	require.NoError(t, c.Close())
	_, err := s.Read(make([]byte, 8))
	assert.True(t, err == io.EOF, "got %#v", err)
}

func TestOSAbortResetsPeer(t *testing.T) {
	c, s := pair(t, newOS(t), loop4)
	_, err := s.Write([]byte("unread"))
	require.NoError(t, err)
	require.NoError(t, c.Abort())
	_, err = io.ReadAll(s)
	require.Error(t, err)
	assert.ErrorIs(t, err, transport.RemoteHostClosedError)
	_, err = c.Write([]byte("x"))
	assert.ErrorIs(t, err, net.ErrClosed)
}

func TestOSDeadline(t *testing.T) {
	c, _ := pair(t, newOS(t), loop4)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(-time.Second)))
	_, err := c.Read(make([]byte, 1))
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, transport.SocketTimeoutError)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	require.NoError(t, c.SetDeadline(time.Time{}))
}

func TestOSUseAfterClose(t *testing.T) {
	c, _ := pair(t, newOS(t), loop4)
	require.NoError(t, c.Close())
	_, err := c.Read(make([]byte, 1))
	assert.ErrorIs(t, err, net.ErrClosed)
	_, err = c.Write([]byte("x"))
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.ErrorIs(t, c.Close(), net.ErrClosed)
	assert.ErrorIs(t, c.Abort(), net.ErrClosed)
}

func TestOSStreamOptions(t *testing.T) {
	c, s := pair(t, newOS(t), loop4)
	v, err := c.Option(transport.PathMtuSocketOption)
	if err == nil { // Linux only
		assert.Greater(t, v, 1280, "loopback's MTU is large")
	} else {
		assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
	}
	v, err = s.Option(transport.LowDelayOption)
	require.NoError(t, err)
	assert.Equal(t, 0, v, "accepted streams start with Nagle on, as in Qt")
	for _, opt := range []transport.SocketOption{transport.LowDelayOption, transport.KeepAliveOption} {
		for _, want := range []int{1, 0} {
			require.NoError(t, c.SetOption(opt, want))
			got, err := c.Option(opt)
			require.NoError(t, err)
			assert.Equal(t, want, got, "option %d", opt)
		}
	}
	require.NoError(t, c.SetOption(transport.TypeOfServiceOption, 0x10))
	v, err = c.Option(transport.TypeOfServiceOption)
	require.NoError(t, err)
	assert.Equal(t, 0x10, v)
	require.NoError(t, c.SetOption(transport.ReceiveBufferSizeSocketOption, 1<<15))
	v, err = c.Option(transport.ReceiveBufferSizeSocketOption)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, v, 1<<15)
	err = c.SetOption(transport.MulticastTtlOption, 1)
	assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
	_, err = c.Option(transport.MulticastLoopbackOption)
	assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
}

func TestOSAcceptStreamCancel(t *testing.T) {
	tr := newOS(t)
	l := listen(t, tr, loop4)
	ctx, cancel := context.WithCancel(context.Background())
	canceled := make(chan error, 1)
	go func() {
		_, err := l.AcceptStream(ctx)
		canceled <- err
	}()
	survivor := make(chan transport.Stream, 1)
	go func() {
		s, err := l.AcceptStream(context.Background())
		assert.NoError(t, err)
		survivor <- s
	}()
	cancel()
	assert.ErrorIs(t, <-canceled, context.Canceled)
	// The other accept is still waiting and gets the next connection.
	c, err := tr.Dial(context.Background(), l.AddrPort(), transport.DialOptions{})
	require.NoError(t, err)
	defer c.Close()
	s := <-survivor
	require.NotNil(t, s)
	s.Close()
}

func TestOSListenerClose(t *testing.T) {
	l := listen(t, newOS(t), loop4)
	done := make(chan error, 1)
	go func() {
		_, err := l.Accept()
		done <- err
	}()
	require.NoError(t, l.Close())
	err := <-done
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.True(t, errors.Is(err, net.ErrClosed))
}
