package mem

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash/fnv"
	"io"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// replayTap records every stream segment with a digest of its bytes.
type replayTap struct {
	mu    sync.Mutex
	start time.Time
	lines []replayLine
}

type replayLine struct {
	at       time.Duration
	src, dst string
	text     string
}

func (r *replayTap) Stream(ev StreamEvent) {
	h := fnv.New64a()
	h.Write(ev.Data)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, replayLine{ev.Time.Sub(r.start), ev.Src.String(), ev.Dst.String(),
		fmt.Sprintf("%v %v>%v len=%d %x syn=%t fin=%t rst=%t", ev.Time.Sub(r.start), ev.Src, ev.Dst, len(ev.Data), h.Sum64(), ev.SYN, ev.FIN, ev.RST)})
}

func (r *replayTap) Datagram(DatagramEvent) {}

// trace orders segments by time and then by direction: segments of one
// direction keep the order they were sent in, and simultaneous segments
// on different links, which nothing orders, are listed by address.
func (r *replayTap) trace() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	lines := slices.Clone(r.lines)
	slices.SortStableFunc(lines, func(a, b replayLine) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		if a.src != b.src {
			return strings.Compare(a.src, b.src)
		}
		return strings.Compare(a.dst, b.dst)
	})
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(l.text)
		sb.WriteByte('\n')
	}
	return sb.String()
}

// replayRun is one run of the replay scenario: its trace and how long it
// took in virtual time.
type replayRun struct {
	trace    string
	duration time.Duration
}

func (r replayRun) digest() string {
	return fmt.Sprintf("%x %v", sha256.Sum256([]byte(r.trace)), r.duration)
}

// replayScenario runs, in a bubble, four clients against one server, each
// on its own link with every fault kind on (latency, jitter, loss,
// bandwidth, random segmentation with short reads, a partition, resets
// by bytes and by time): a bulk upload, an echo over several connections
// in turn, a bulk download, and an upload the link resets.
func replayScenario(t *testing.T) replayRun {
	var run replayRun
	synctest.Test(t, func(t *testing.T) {
		tap := &replayTap{start: time.Now()}
		n := New(WithSeed(7), WithTap(tap), WithSlowStart(true))
		srv := n.MustAddHost("server", IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		faults := Faults{Latency: 5 * time.Millisecond, Jitter: 2 * time.Millisecond, Loss: 0.03,
			Duplicate: 0.1, Reorder: 0.1, Bandwidth: 2 << 20,
			Segment: Segmentation{Mode: SegmentRandom, Size: 3000, ShortReads: true}}
		clients := make([]*Host, 4)
		for i := range clients {
			clients[i] = n.MustAddHost(fmt.Sprintf("c%d", i), IfaceConfig{Prefixes: []netip.Prefix{
				netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(11 + i)}), 24)}})
			f := faults
			switch i {
			case 3:
				f.ResetAfterBytes = 150_000
			case 2:
				f.ResetAt = time.Now().Add(10*time.Second + 123457)
			}
			n.Link(clients[i], srv).SetFaults(f)
			n.Link(srv, clients[i]).SetFaults(f)
		}
		time.AfterFunc(40*time.Millisecond+12345, func() { n.Partition(clients[0], srv) })
		time.AfterFunc(190*time.Millisecond+54321, func() { n.Heal(clients[0], srv) })

		ctx := context.Background()
		ln, err := srv.Listen(ctx, netip.MustParseAddrPort("10.0.0.1:80"), transport.ListenOptions{})
		require.NoError(t, err)
		var served sync.WaitGroup
		go func() {
			for {
				s, err := ln.AcceptStream(ctx)
				if err != nil {
					return
				}
				served.Go(func() { replayServe(s) })
			}
		}()
		dial := func(h *Host) transport.Stream {
			c, err := h.Dial(ctx, netip.MustParseAddrPort("10.0.0.1:80"), transport.DialOptions{})
			require.NoError(t, err)
			return c
		}
		var wg sync.WaitGroup
		wg.Go(func() { // bulk upload, then the server's count
			c := dial(clients[0])
			defer c.Close()
			_, err := c.Write(append([]byte("U"), pattern(300_000)...))
			assert.NoError(t, err)
			assert.NoError(t, c.CloseWrite())
			got, err := io.ReadAll(c)
			assert.NoError(t, err)
			assert.Equal(t, "300000", string(got))
		})
		wg.Go(func() { // echo, over three connections in turn
			for range 3 {
				c := dial(clients[1])
				_, err := c.Write([]byte("E"))
				assert.NoError(t, err)
				buf := make([]byte, 100)
				for i := range 20 {
					msg := pattern(100 + i)[i:]
					_, err := c.Write(msg)
					assert.NoError(t, err)
					_, err = io.ReadFull(c, buf)
					assert.NoError(t, err)
					assert.Equal(t, msg, buf)
				}
				c.Close()
			}
		})
		wg.Go(func() { // bulk download
			c := dial(clients[2])
			defer c.Close()
			_, err := c.Write([]byte("D"))
			assert.NoError(t, err)
			got, err := io.ReadAll(c)
			assert.NoError(t, err)
			assert.Equal(t, pattern(200_000), got)
		})
		wg.Go(func() { // an upload the link resets
			c := dial(clients[3])
			defer c.Close()
			_, err := c.Write(append([]byte("U"), pattern(300_000)...))
			assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		})
		wg.Wait()
		run.duration = time.Since(tap.start)
		ln.Close()
		served.Wait()
		run.trace = tap.trace()
	})
	return run
}

// replayServe serves one replay connection by its first byte.
func replayServe(s transport.Stream) {
	defer s.Close()
	kind := make([]byte, 1)
	if _, err := io.ReadFull(s, kind); err != nil {
		return
	}
	switch kind[0] {
	case 'U':
		n, _ := io.Copy(io.Discard, s)
		fmt.Fprint(s, n)
	case 'E':
		buf := make([]byte, 100)
		for {
			if _, err := io.ReadFull(s, buf); err != nil {
				return
			}
			if _, err := s.Write(buf); err != nil {
				return
			}
		}
	case 'D':
		_, _ = s.Write(pattern(200_000))
	}
}

// replayGolden is the replay scenario's digest: the same with and without
// -race and on every machine, so a trace can be a golden file.
const replayGolden = "4d8a402e648ece5813b735cc3a8b7daa759641b209df7f82178009bc8ea93a85 1.969065525s"

// TestReplayIsExact runs the replay scenario 20 times, then with
// GOMAXPROCS 1 and 2: every run must give the same Tap trace, byte for
// byte, and the same virtual duration. (make check runs it under -race
// too.)
func TestReplayIsExact(t *testing.T) {
	first := replayScenario(t)
	require.NotEmpty(t, first.trace)
	assert.Equal(t, replayGolden, first.digest(),
		"the replay trace changed: if the model changed on purpose, update replayGolden")
	t.Logf("replay: %d segments in %v, digest %s", strings.Count(first.trace, "\n"), first.duration, first.digest())
	for i := range 19 {
		r := replayScenario(t)
		if !assert.Equal(t, first.digest(), r.digest(), "run %d differs", i+2) {
			assert.Equal(t, first.trace, r.trace)
			return
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2} {
		runtime.GOMAXPROCS(procs)
		for range 3 {
			r := replayScenario(t)
			if !assert.Equal(t, first.digest(), r.digest(), "GOMAXPROCS=%d differs", procs) {
				assert.Equal(t, first.trace, r.trace)
				return
			}
		}
	}
}
