package faultproxy

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// arrival is one segment as the receiver sees it: its size and when it
// arrives after the write that sent it.
type arrival struct {
	size  int
	after time.Duration
}

// memArrivals writes data once from host "client" to host "server" of a
// network seeded with seed, under f upstream, and returns the segments as
// the server's short reads see them.
func memArrivals(t *testing.T, seed uint64, names [2]string, f mem.Faults, data []byte) (got []arrival) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		n := mem.New(mem.WithSeed(seed))
		cl := n.MustAddHost(names[0], mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		sv := n.MustAddHost(names[1], mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		f.Segment.ShortReads = true
		n.Link(cl, sv).SetFaults(f)
		ln, err := sv.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:80"), transport.ListenOptions{})
		require.NoError(t, err)
		c, err := cl.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
		require.NoError(t, err)
		s, err := ln.AcceptStream(ctx)
		require.NoError(t, err)
		start := time.Now()
		_, err = c.Write(data)
		require.NoError(t, err)
		buf := make([]byte, len(data))
		for total := 0; total < len(data); {
			k, err := s.Read(buf)
			require.NoError(t, err)
			got = append(got, arrival{k, time.Since(start)})
			total += k
		}
		require.NoError(t, c.Close())
		require.NoError(t, s.Close())
		require.NoError(t, ln.Close())
		require.NoError(t, n.Close())
	})
	return got
}

// proxyArrivals schedules the same: the handshake's draws, then data read
// in one piece, as a proxy made WithSeed(seed) does.
func proxyArrivals(t *testing.T, seed uint64, names [2]string, f mem.Faults, data []byte) (got []arrival) {
	p := newProxy(t, "127.0.0.1:1", WithSeed(seed), WithNames(names[0], names[1]))
	p.mu.Lock()
	p.faults[Upstream] = f // bypasses validate: ShortReads is mem's side only
	p.mu.Unlock()
	_, ok := p.synTransit(Upstream)
	require.True(t, ok)
	_, ok = p.synTransit(Downstream)
	require.True(t, ok)
	c := newConn(p, nil)
	now := time.Now()
	p.mu.Lock()
	segs, reset := c.cutLocked(Upstream, data, now)
	p.mu.Unlock()
	require.False(t, reset)
	for _, s := range segs {
		got = append(got, arrival{len(s.data), s.at.Sub(now)})
	}
	return got
}

// TestSameDrawsAsMem: a proxy with seed S (and the hosts' names) cuts and delays a write exactly
// as the in-memory network with WithSeed(S) does: the same random segment
// sizes, jitter and loss stalls, segment by segment.
func TestSameDrawsAsMem(t *testing.T) {
	data := make([]byte, 1000)
	f := mem.Faults{Latency: 5 * time.Millisecond, Jitter: 3 * time.Millisecond, Loss: 0.2,
		Segment: mem.Segmentation{Mode: mem.SegmentRandom, Size: 64}}
	for _, seed := range []uint64{1, 7, 42} {
		for _, names := range [][2]string{{"client", "server"}, {"laptop", "db.example"}} {
			want := memArrivals(t, seed, names, f, data)
			got := proxyArrivals(t, seed, names, f, data)
			require.Greater(t, len(want), 10)
			assert.Equal(t, want, got, "seed %d, names %q", seed, names)
		}
	}
	// Other names draw otherwise: the names are part of the seed.
	assert.NotEqual(t, proxyArrivals(t, 1, [2]string{"client", "server"}, f, data),
		proxyArrivals(t, 1, [2]string{"server", "client"}, f, data))
}
