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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

func dgAddrs(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

// dgZoneWorld is a dgWorld whose network has a small zone.
func dgZoneWorld(t *testing.T) (dgWorld, *Zone) {
	t.Helper()
	w := newDGWorld(t)
	z := w.n.Zone()
	require.NoError(t, z.AddA("www.example.test", dgAddrs("10.0.0.2")...))
	require.NoError(t, z.AddAAAA("www.example.test", dgAddrs("fd00::2")...))
	require.NoError(t, z.AddA("db.example.test", dgAddrs("10.0.0.9", "10.0.0.10")...))
	require.NoError(t, z.AddCNAME("alias.example.test", "mid.example.test"))
	require.NoError(t, z.AddCNAME("mid.example.test", "www.example.test."))
	require.NoError(t, z.AddPTR(netip.MustParseAddr("10.0.0.9"), "db.example.test", "db-primary.example.test"))
	return w, z
}

func TestLookupHost(t *testing.T) {
	w, _ := dgZoneWorld(t)
	ctx := context.Background()
	cases := map[string][]netip.Addr{
		"www.example.test":   dgAddrs("10.0.0.2", "fd00::2"),
		"WWW.Example.TEST.":  dgAddrs("10.0.0.2", "fd00::2"),
		"db.example.test":    dgAddrs("10.0.0.9", "10.0.0.10"),
		"alias.example.test": dgAddrs("10.0.0.2", "fd00::2"),
		"10.1.2.3":           dgAddrs("10.1.2.3"),
		"[fd00::7]":          dgAddrs("fd00::7"),
		"localhost":          dgAddrs("127.0.0.1", "::1"),
		"c":                  dgAddrs("10.0.1.3"),
		"B":                  dgAddrs("10.0.0.2", "fd00::2"),
	}
	for name, want := range cases {
		got, err := w.a.LookupHost(ctx, name)
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
}

func TestLookupHostFailures(t *testing.T) {
	w, z := dgZoneWorld(t)
	ctx := context.Background()
	require.NoError(t, z.SetFailure("broken.example.test", ServFail))
	require.NoError(t, z.SetFailure("gone.example.test", NXDomain))
	require.NoError(t, z.AddCNAME("dangling.example.test", "nowhere.example.test"))
	require.NoError(t, z.AddCNAME("loop1.example.test", "loop2.example.test"))
	require.NoError(t, z.AddCNAME("loop2.example.test", "loop1.example.test"))

	notFound := []string{"nosuch.example.test", "gone.example.test", "dangling.example.test", "bad..name", ""}
	for _, name := range notFound {
		_, err := w.a.LookupHost(ctx, name)
		require.ErrorIs(t, err, transport.HostNotFoundError, name)
		var de *net.DNSError
		require.ErrorAs(t, err, &de, name)
		assert.True(t, de.IsNotFound, name)
	}
	for _, name := range []string{"broken.example.test", "loop1.example.test"} {
		_, err := w.a.LookupHost(ctx, name)
		require.ErrorIs(t, err, transport.HostNotFoundError, name)
		var de *net.DNSError
		require.ErrorAs(t, err, &de)
		assert.True(t, de.IsTemporary, name)
		assert.False(t, de.IsNotFound, name)
	}

	// A failure on a name met inside a CNAME chain applies.
	require.NoError(t, z.SetFailure("mid.example.test", ServFail))
	_, err := w.a.LookupHost(ctx, "alias.example.test")
	require.ErrorIs(t, err, transport.HostNotFoundError)
	require.NoError(t, z.SetFailure("mid.example.test", Answer))
	_, err = w.a.LookupHost(ctx, "alias.example.test")
	require.NoError(t, err)
}

func TestLookupLatencyAndTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, z := dgZoneWorld(t)
		require.NoError(t, z.SetLatency("www.example.test", 40*time.Millisecond))
		require.NoError(t, z.SetLatency("", 5*time.Millisecond))
		require.NoError(t, z.SetFailure("silent.example.test", NoAnswer))
		ctx := context.Background()

		start := time.Now()
		_, err := w.a.LookupHost(ctx, "www.example.test")
		require.NoError(t, err)
		assert.Equal(t, 40*time.Millisecond, time.Since(start))

		start = time.Now()
		_, err = w.a.LookupHost(ctx, "b")
		require.NoError(t, err)
		assert.Zero(t, time.Since(start), "host names answer at once, like a hosts file")

		start = time.Now()
		_, err = w.a.LookupHost(ctx, "nosuch.example.test")
		require.ErrorIs(t, err, transport.HostNotFoundError)
		assert.Equal(t, 5*time.Millisecond, time.Since(start), "NXDOMAIN takes the default latency")

		// A silent server: the context's deadline ends the wait...
		start = time.Now()
		tctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err = w.a.LookupHost(tctx, "silent.example.test")
		require.ErrorIs(t, err, transport.SocketTimeoutError)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.ErrorIs(t, err, os.ErrDeadlineExceeded, "every timeout wraps os.ErrDeadlineExceeded")
		var ne net.Error
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout())
		assert.Equal(t, 300*time.Millisecond, time.Since(start))

		// ...or the zone's timeout does.
		z.SetTimeout(2 * time.Second)
		start = time.Now()
		_, err = w.a.LookupHost(ctx, "silent.example.test")
		require.ErrorIs(t, err, transport.SocketTimeoutError)
		require.ErrorIs(t, err, os.ErrDeadlineExceeded)
		var de *net.DNSError
		require.ErrorAs(t, err, &de)
		assert.True(t, de.IsTimeout)
		assert.Equal(t, 2*time.Second, time.Since(start))

		// A cancelled context is not a timeout.
		cctx, cancel2 := context.WithCancel(ctx)
		go func() {
			time.Sleep(time.Millisecond)
			cancel2()
		}()
		_, err = w.a.LookupHost(cctx, "www.example.test")
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, transport.OperationError, transport.CodeOf(err))
	})
}

func TestLookupAddr(t *testing.T) {
	w, z := dgZoneWorld(t)
	ctx := context.Background()
	cases := map[string][]string{
		"10.0.0.9":  {"db.example.test", "db-primary.example.test"}, // explicit PTRs
		"10.0.0.10": {"db.example.test"},                            // from the A records
		"fd00::2":   {"www.example.test"},
		"127.0.0.1": {"localhost"},
		"10.0.1.3":  {"c"}, // the host owning it
	}
	for a, want := range cases {
		got, err := w.a.LookupAddr(ctx, netip.MustParseAddr(a))
		require.NoError(t, err, a)
		assert.Equal(t, want, got, a)
	}
	_, err := w.a.LookupAddr(ctx, netip.MustParseAddr("192.0.2.1"))
	require.ErrorIs(t, err, transport.HostNotFoundError)
	_, err = w.a.LookupAddr(ctx, netip.Addr{})
	require.ErrorIs(t, err, transport.HostNotFoundError)

	require.NoError(t, z.SetFailure("10.0.0.9", ServFail))
	_, err = w.a.LookupAddr(ctx, netip.MustParseAddr("10.0.0.9"))
	var de *net.DNSError
	require.ErrorAs(t, err, &de)
	assert.True(t, de.IsTemporary)
}

func TestZoneInputErrors(t *testing.T) {
	z := NewZone()
	require.Error(t, z.AddA("x.test", netip.MustParseAddr("fd00::1")))
	require.Error(t, z.AddAAAA("x.test", netip.MustParseAddr("10.0.0.1")))
	require.Error(t, z.AddA("", netip.MustParseAddr("10.0.0.1")))
	require.Error(t, z.AddA("a..b", netip.MustParseAddr("10.0.0.1")))
	require.NoError(t, z.AddA("x.test", netip.MustParseAddr("10.0.0.1")))
	require.Error(t, z.AddCNAME("x.test", "y.test"), "a name with addresses cannot be an alias")
	require.NoError(t, z.AddCNAME("alias.test", "x.test"))
	require.Error(t, z.AddA("alias.test", netip.MustParseAddr("10.0.0.1")), "an alias has no addresses")
	require.Error(t, z.AddPTR(netip.Addr{}, "x.test"))
	require.Error(t, z.SetFailure("x.test", Failure(99)))
	require.Error(t, z.SetLatency("bad..name", time.Second))

	z.Remove("x.test")
	n := New()
	n.SetZone(z)
	h := n.MustAddHost("h")
	_, err := h.LookupHost(context.Background(), "x.test")
	require.ErrorIs(t, err, transport.HostNotFoundError)
	assert.Same(t, z, n.Zone())
	n.SetZone(nil)
	assert.NotSame(t, z, n.Zone(), "a fresh zone after removal")
}

func TestReverseNames(t *testing.T) {
	for _, a := range []string{"10.0.0.9", "fd00::2", "2001:db8::abcd:1"} {
		addr := netip.MustParseAddr(a)
		back, ok := parseReverse(reverseName(addr) + ".")
		require.True(t, ok, a)
		assert.Equal(t, addr, back)
	}
	assert.Equal(t, "9.0.0.10.in-addr.arpa", reverseName(netip.MustParseAddr("10.0.0.9")))
	for _, bad := range []string{"x.in-addr.arpa", "1.2.3.in-addr.arpa", "300.2.3.4.in-addr.arpa", "1.ip6.arpa", "example.test"} {
		_, ok := parseReverse(bad)
		assert.False(t, ok, bad)
	}
	assert.False(t, errors.Is(nil, errNotReverse))
}
