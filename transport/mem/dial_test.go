package mem

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDialRefusedAfterOneRoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Latency: 10 * time.Millisecond})
		n.Link(b, a).SetFaults(Faults{Latency: 15 * time.Millisecond})
		start := time.Now()
		_, err := a.Dial(context.Background(), netip.AddrPortFrom(addrB, 80), transport.DialOptions{})
		require.Error(t, err)
		assert.ErrorIs(t, err, transport.ConnectionRefusedError)
		assert.Equal(t, 25*time.Millisecond, time.Since(start))
		assert.Equal(t, uint64(1), a.Counters().ConnectionsRefused)
		assert.Equal(t, uint64(1), n.Link(b, a).Counters().Resets)
	})
}

func TestDialHandshakeTakesOneRoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Latency: 7 * time.Millisecond})
		n.Link(b, a).SetFaults(Faults{Latency: 3 * time.Millisecond})
		ln := listen(t, b, transport.ListenOptions{})
		start := time.Now()
		c, s := dialAccept(t, a, ln, transport.DialOptions{})
		assert.Equal(t, 10*time.Millisecond, time.Since(start))
		assert.Equal(t, netip.AddrPortFrom(addrA, EphemeralFirst), c.LocalAddrPort())
		assert.Equal(t, c.LocalAddrPort(), s.RemoteAddrPort())
		assert.Equal(t, s.LocalAddrPort(), c.RemoteAddrPort())
		assert.Equal(t, "10.0.0.2:80", c.RemoteAddr().String())
	})
}

func TestDialUnreachableTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, _ := twoHosts(t)
		wall := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		_, err := a.Dial(ctx, netip.MustParseAddrPort("10.9.9.9:80"), transport.DialOptions{})
		assertTimeout(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Hour, time.Since(wall)) // virtual: costs no wall time
		assert.Empty(t, a.ports[protoTCP], "the port is released")
	})
}

func TestDialDefaultConnectTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		listen(t, b, transport.ListenOptions{})
		n.Partition(a, b)
		start := time.Now()
		_, err := a.Dial(context.Background(), netip.AddrPortFrom(addrB, 80), transport.DialOptions{})
		assertTimeout(t, err)
		assert.Equal(t, DefaultConnectTimeout, time.Since(start))
		assert.Equal(t, uint64(5), n.Link(a, b).Counters().PartitionedDrops, "SYNs at 0, 1, 3, 7, 15 s")
	})
}

func TestDialAcrossHealedPartition(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		ln := listen(t, b, transport.ListenOptions{})
		n.Partition(a, b)
		time.AfterFunc(2*time.Second, func() { n.Heal(a, b) })
		start := time.Now()
		dialAccept(t, a, ln, transport.DialOptions{})
		assert.Equal(t, 3*time.Second, time.Since(start), "the SYN retransmitted at 3 s gets through")
	})
}

func TestDialCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, _ := twoHosts(t)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)
		_, err := a.Dial(ctx, netip.MustParseAddrPort("10.9.9.9:80"), transport.DialOptions{})
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, transport.OperationError, transport.CodeOf(err))
	})
}

func TestDialBadAddress(t *testing.T) {
	_, a, _ := twoHosts(t)
	for _, ap := range []netip.AddrPort{{}, netip.MustParseAddrPort("224.0.0.1:80")} {
		_, err := a.Dial(context.Background(), ap, transport.DialOptions{})
		assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError, ap.String())
	}
}

// TestDialPortZeroRefused: nobody listens on port 0, so a dial there is
// refused after the round trip, as on Linux and in Qt 5.
func TestDialPortZeroRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, _ := twoHosts(t)
		_, err := a.Dial(context.Background(), netip.MustParseAddrPort("10.0.0.2:0"), transport.DialOptions{})
		assert.ErrorIs(t, err, transport.ConnectionRefusedError)
	})
}

func TestDialLoopbackAndLocalPort(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, _ := twoHosts(t)
		ln, err := a.Listen(context.Background(), netip.MustParseAddrPort("127.0.0.1:7"), transport.ListenOptions{})
		require.NoError(t, err)
		defer ln.Close()
		local := netip.MustParseAddrPort("127.0.0.1:4000")
		c, s := dialAccept(t, a, ln.(*Listener), transport.DialOptions{Local: local})
		assert.Equal(t, local, c.LocalAddrPort())
		assert.Equal(t, local, s.RemoteAddrPort())
		_, err = a.Dial(context.Background(), ln.AddrPort(), transport.DialOptions{Local: local})
		assert.ErrorIs(t, err, transport.AddressInUseError)
	})
}

func assertTimeout(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.ErrorIs(t, err, transport.SocketTimeoutError)
	assert.False(t, errors.Is(err, net.ErrClosed))
}

func TestDialIPv6AndUnspecified(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, _ := twoHosts(t)
		ctx := context.Background()
		ln, err := a.Listen(ctx, netip.MustParseAddrPort("[::]:443"), transport.ListenOptions{})
		require.NoError(t, err)
		defer ln.Close()
		for _, dst := range []string{"[::1]:443", "127.0.0.1:443", "0.0.0.0:443", "[::]:443", "[::ffff:10.0.0.1]:443"} {
			c, err := a.Dial(ctx, netip.MustParseAddrPort(dst), transport.DialOptions{})
			require.NoError(t, err, dst)
			s, err := ln.AcceptStream(ctx)
			require.NoError(t, err)
			assert.Equal(t, c.LocalAddrPort(), s.RemoteAddrPort(), dst)
			assert.Equal(t, c.RemoteAddrPort(), s.LocalAddrPort(), dst)
			assert.True(t, c.LocalAddrPort().Addr().Is4() == c.RemoteAddrPort().Addr().Is4(), dst)
			c.Close()
			s.Close()
		}
	})
}
