package mem

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBacklogOverflowRefuses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		ln := listen(t, b, transport.ListenOptions{Backlog: 2})
		ctx := context.Background()
		for range 2 {
			c, err := a.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
			require.NoError(t, err)
			defer c.Close()
		}
		_, err := a.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
		assert.ErrorIs(t, err, transport.ConnectionRefusedError)
		s, err := ln.AcceptStream(ctx)
		require.NoError(t, err)
		defer s.Close()
		c, err := a.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
		require.NoError(t, err, "accepting made room")
		c.Close()
	})
}

func TestBacklogOverflowDrops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		ln := listen(t, b, transport.ListenOptions{Backlog: 1})
		ln.SetOverflow(OverflowDrop)
		c1, err := a.Dial(context.Background(), ln.AddrPort(), transport.DialOptions{})
		require.NoError(t, err)
		defer c1.Close()

		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err = a.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
		assertTimeout(t, err)
		assert.Equal(t, 5*time.Second, time.Since(start))

		// Accepting while a dial retransmits lets the retransmission in.
		time.AfterFunc(1500*time.Millisecond, func() {
			s, err := ln.AcceptStream(context.Background())
			if assert.NoError(t, err) {
				s.Close()
			}
		})
		start = time.Now()
		c2, err := a.Dial(context.Background(), ln.AddrPort(), transport.DialOptions{})
		require.NoError(t, err)
		c2.Close()
		assert.Equal(t, 3*time.Second, time.Since(start), "SYNs at 0, 1 and 3 s")
	})
}

func TestHostListenOverflowDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		b.SetListenOverflow(OverflowDrop)
		ln := listen(t, b, transport.ListenOptions{Backlog: 1})
		c, err := a.Dial(context.Background(), ln.AddrPort(), transport.DialOptions{})
		require.NoError(t, err)
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second/2)
		defer cancel()
		_, err = a.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
		assertTimeout(t, err)
	})
}

func TestListenerCloseResetsPending(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(b, a).SetFaults(Faults{Latency: time.Millisecond})
		ln := listen(t, b, transport.ListenOptions{})
		c, err := a.Dial(context.Background(), ln.AddrPort(), transport.DialOptions{})
		require.NoError(t, err)
		defer c.Close()
		start := time.Now()
		require.NoError(t, ln.Close())
		assert.ErrorIs(t, ln.Close(), net.ErrClosed)
		_, err = ln.Accept()
		assert.ErrorIs(t, err, net.ErrClosed)

		_, err = c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		assert.Equal(t, time.Millisecond, time.Since(start), "the RST crosses the link")
		_, err = c.Write([]byte("x"))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		_, err = a.Dial(context.Background(), ln.AddrPort(), transport.DialOptions{})
		assert.ErrorIs(t, err, transport.ConnectionRefusedError, "the port is free again")
	})
}

func TestAcceptContextAndClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, _, b := twoHosts(t)
		ln := listen(t, b, transport.ListenOptions{})
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := ln.AcceptStream(ctx)
		assertTimeout(t, err)
		time.AfterFunc(time.Second, func() { ln.Close() })
		_, err = ln.Accept()
		assert.ErrorIs(t, err, net.ErrClosed)
	})
}

func TestListenErrors(t *testing.T) {
	_, a, _ := twoHosts(t)
	ctx := context.Background()
	ln, err := a.Listen(ctx, netip.MustParseAddrPort("0.0.0.0:80"), transport.ListenOptions{})
	require.NoError(t, err)
	defer ln.Close()
	assert.Equal(t, "0.0.0.0:80", ln.Addr().String())
	_, err = a.Listen(ctx, netip.MustParseAddrPort("10.0.0.1:80"), transport.ListenOptions{})
	assert.ErrorIs(t, err, transport.AddressInUseError)
	_, err = a.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:81"), transport.ListenOptions{})
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
	neg, err := a.Listen(ctx, netip.MustParseAddrPort("10.0.0.1:82"), transport.ListenOptions{Backlog: -1})
	require.NoError(t, err, "a negative backlog means the default, as for listen(2) and Qt 5")
	assert.Equal(t, DefaultBacklog, neg.(*Listener).backlog)
	neg.Close()
}
