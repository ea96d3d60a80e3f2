package mem

import (
	"context"
	"hash/fnv"
	"net/netip"
	"testing"

	"github.com/slotnet/slotnet/transport"
	"github.com/stretchr/testify/require"
)

// testNetwork returns a network seeded from the test's name and prints the
// seed if the test fails, so that WithSeed replays the run.
func testNetwork(t testing.TB, opts ...Option) *Network {
	t.Helper()
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	n := New(append([]Option{WithSeed(h.Sum64())}, opts...)...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("mem: network seed %d (replay with mem.WithSeed)", n.Seed())
		}
	})
	return n
}

// twoHosts returns a network with hosts a (10.0.0.1) and b (10.0.0.2).
func twoHosts(t testing.TB, opts ...Option) (n *Network, a, b *Host) {
	t.Helper()
	n = testNetwork(t, opts...)
	a = n.MustAddHost("a", IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	b = n.MustAddHost("b", IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	return n, a, b
}

var (
	addrA = netip.MustParseAddr("10.0.0.1")
	addrB = netip.MustParseAddr("10.0.0.2")
)

// listen opens a listener on b's port 80.
func listen(t testing.TB, b *Host, opts transport.ListenOptions) *Listener {
	t.Helper()
	ln, err := b.Listen(context.Background(), netip.AddrPortFrom(addrB, 80), opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	return ln.(*Listener)
}

// pair connects a to b's port 80 and returns the dialing and accepted ends.
func pair(t testing.TB, a, b *Host) (client, server *Conn) {
	t.Helper()
	ln := listen(t, b, transport.ListenOptions{})
	return dialAccept(t, a, ln, transport.DialOptions{})
}

func dialAccept(t testing.TB, a *Host, ln *Listener, opts transport.DialOptions) (client, server *Conn) {
	t.Helper()
	ctx := context.Background()
	c, err := a.Dial(ctx, ln.AddrPort(), opts)
	require.NoError(t, err)
	s, err := ln.AcceptStream(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(); _ = s.Close() })
	return c.(*Conn), s.(*Conn)
}
