package faultproxy

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bulkSize is the transfer the timing comparison makes.
const bulkSize = 1 << 20

// lineServer is the server side of the comparison, the same code over
// both transports: "bulk N\n" reads N bytes and answers "OK\n"; any other
// line comes back upper-cased.
func lineServer(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if n, ok := strings.CutPrefix(strings.TrimSpace(line), "bulk "); ok {
			size, _ := strconv.Atoi(n)
			if _, err := io.CopyN(io.Discard, r, int64(size)); err != nil {
				return
			}
			line = "ok\n"
		}
		if _, err := io.WriteString(c, strings.ToUpper(line)); err != nil {
			return
		}
	}
}

// timings is what the client side measures: a connection and one
// request/response exchange, and a connection and a bulkSize upload
// acknowledged by the server.
type timings struct{ exchange, bulk time.Duration }

// client is the code under test, the same over both transports: it
// returns how long each part took by the clock it runs under (the upload
// only if bulk).
func client(t testing.TB, dial func() (net.Conn, error), bulk bool) timings {
	var tm timings
	start := time.Now()
	c, err := dial()
	require.NoError(t, err)
	r := bufio.NewReader(c)
	assert.Equal(t, "HELLO\n", exchange(t, c, r, "hello\n"))
	tm.exchange = time.Since(start)
	require.NoError(t, c.Close())
	if !bulk {
		return tm
	}

	start = time.Now()
	c, err = dial()
	require.NoError(t, err)
	r = bufio.NewReader(c)
	_, err = io.WriteString(c, "bulk "+strconv.Itoa(bulkSize)+"\n")
	require.NoError(t, err)
	_, err = c.Write(make([]byte, bulkSize))
	require.NoError(t, err)
	got, err := r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "OK\n", got)
	tm.bulk = time.Since(start)
	require.NoError(t, c.Close())
	return tm
}

// overMem runs client against lineServer between hosts "client" and
// "server" of a network seeded with seed, both directions under f, in
// virtual time.
func overMem(t *testing.T, seed uint64, f mem.Faults, bulk bool) (tm timings) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		n := mem.New(mem.WithSeed(seed))
		cl := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		sv := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		n.Link(cl, sv).SetFaults(f)
		n.Link(sv, cl).SetFaults(f)
		ln, err := sv.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:80"), transport.ListenOptions{})
		require.NoError(t, err)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				s, err := ln.AcceptStream(ctx)
				if errors.Is(err, net.ErrClosed) {
					return
				}
				require.NoError(t, err)
				wg.Add(1)
				go func() { defer wg.Done(); defer s.Close(); lineServer(s) }()
			}
		}()
		tm = client(t, func() (net.Conn, error) { return cl.Dial(ctx, ln.AddrPort(), transport.DialOptions{}) }, bulk)
		require.NoError(t, ln.Close())
		wg.Wait()
		require.NoError(t, n.Close())
	})
	return tm
}

// overProxy runs the same client against the same server on loopback
// through a proxy made WithSeed(seed), both directions under f, in real
// time.
func overProxy(t *testing.T, seed uint64, f mem.Faults, bulk bool) timings {
	p := newProxy(t, serve(t, lineServer), WithSeed(seed))
	require.NoError(t, p.SetFaults(Upstream, f))
	require.NoError(t, p.SetFaults(Downstream, f))
	return client(t, func() (net.Conn, error) { return net.Dial("tcp", p.Addr()) }, bulk)
}

// Tolerance of the timing comparison: the proxy is never faster than the
// in-memory network's model, and slower by at most compareSlack plus
// compareRatio of the modelled time (scheduling on a loaded machine, the
// loopback's own costs, the kernel's buffers) in the best of compareTries
// runs: a run that a load spike slowed beyond it is run again, a run
// faster than the model fails at once.
const (
	compareSlack = 250 * time.Millisecond
	compareRatio = 0.25
	compareTries = 3
)

// TestTimingMatchesMem: the same client code, the same faults and seed,
// over the proxy on loopback in real time and over mem in virtual time:
// an exchange (a handshake and a request/response) and a 1 MiB upload
// under Latency and Bandwidth take the same time within the tolerance.
// With Jitter and random slicing too, the exchange (the first connection,
// so the draws line up one for one) still does; the upload then draws in
// an order that depends on when the proxy sees the first connection's FIN,
// so only the exchange is made.
func TestTimingMatchesMem(t *testing.T) {
	for _, c := range []struct {
		name string
		f    mem.Faults
		bulk bool
	}{
		{"latency+bandwidth", mem.Faults{Latency: 5 * time.Millisecond, Bandwidth: 4 << 20}, true},
		{"jitter+slicing", mem.Faults{Latency: 5 * time.Millisecond, Jitter: 10 * time.Millisecond, Bandwidth: 4 << 20,
			Segment: mem.Segmentation{Mode: mem.SegmentRandom, Size: 3}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := overMem(t, 5, c.f, c.bulk)
			for try := 1; ; try++ {
				got := overProxy(t, 5, c.f, c.bulk)
				t.Logf("mem (virtual): exchange %v, 1 MiB %v; proxy (real, try %d): exchange %v, 1 MiB %v",
					want.exchange, want.bulk, try, got.exchange, got.bulk)
				assert.GreaterOrEqual(t, got.exchange, want.exchange, "exchange: never faster than the model")
				assert.GreaterOrEqual(t, got.bulk, want.bulk, "1 MiB: never faster than the model")
				if (within(want.exchange, got.exchange) && within(want.bulk, got.bulk)) || try == compareTries {
					assert.True(t, within(want.exchange, got.exchange), "exchange: beyond the tolerance")
					assert.True(t, within(want.bulk, got.bulk), "1 MiB: beyond the tolerance")
					return
				}
			}
		})
	}
}

// within reports whether real is within the tolerance above mem.
func within(mem, real time.Duration) bool {
	return real <= mem+compareSlack+time.Duration(compareRatio*float64(mem))
}
