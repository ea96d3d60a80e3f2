package mem

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a Tap that keeps a printable trace of stream segments.
type recorder struct {
	mu    sync.Mutex // guards lines
	start time.Time
	lines []string
}

func (r *recorder) Stream(ev StreamEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	flags := ""
	for _, f := range []struct {
		on   bool
		name string
	}{{ev.SYN, " SYN"}, {ev.FIN, " FIN"}, {ev.RST, " RST"}} {
		if f.on {
			flags += f.name
		}
	}
	r.lines = append(r.lines, fmt.Sprintf("%v %v>%v %d%s", ev.Time.Sub(r.start), ev.Src, ev.Dst, len(ev.Data), flags))
}

func (r *recorder) Datagram(DatagramEvent) {}

func (r *recorder) trace() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// readTimes reads size bytes from s and returns when each Read returned
// (since start) and how much it returned.
func readTimes(t *testing.T, s *Conn, size int, start time.Time) (times []time.Duration, sizes []int, data []byte) {
	t.Helper()
	buf := make([]byte, size)
	for len(data) < size {
		n, err := s.Read(buf)
		require.NoError(t, err)
		times = append(times, time.Since(start))
		sizes = append(sizes, n)
		data = append(data, buf[:n]...)
	}
	return times, sizes, data
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestJitterKeepsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Latency: 10 * time.Millisecond, Jitter: 20 * time.Millisecond,
			Segment: Segmentation{Mode: SegmentFixed, Size: 100, ShortReads: true}})
		c, s := pair(t, a, b)
		want := pattern(2000)
		start := time.Now()
		for i := 0; i < len(want); i += 100 {
			_, err := c.Write(want[i : i+100])
			require.NoError(t, err)
			time.Sleep(time.Millisecond)
		}
		times, sizes, got := readTimes(t, s, len(want), start)
		assert.Equal(t, want, got, "a streamSeg never overtakes an earlier one")
		for _, sz := range sizes {
			assert.Equal(t, 100, sz)
		}
		for i, d := range times {
			assert.GreaterOrEqual(t, d, time.Duration(i)*time.Millisecond+10*time.Millisecond)
			assert.LessOrEqual(t, d, time.Duration(i)*time.Millisecond+30*time.Millisecond)
		}
		assert.Equal(t, goldenJitter, fmt.Sprint(times))
	})
}

const goldenJitter = "[20ms 20.515961ms 31.828015ms 32.033354ms 33.165611ms 33.418969ms 33.418969ms 33.418969ms 33.418969ms 33.418969ms 33.418969ms 33.418969ms 33.418969ms 33.418969ms 33.418969ms 33.418969ms 44.706042ms 44.706042ms 46.210824ms 46.210824ms]"

func TestLossStallsThenDelivers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		l := n.Link(a, b)
		l.SetFaults(Faults{Loss: 0.3, RetransmitDelay: 100 * time.Millisecond, Segment: Segmentation{Mode: SegmentFixed, Size: 10}})
		c, s := pair(t, a, b)
		want := pattern(1000)
		start := time.Now()
		_, err := c.Write(want)
		require.NoError(t, err)
		_, _, got := readTimes(t, s, len(want), start)
		assert.Equal(t, want, got)
		st := l.Counters()
		assert.Equal(t, uint64(101), st.Segments, "the SYN and 100 data segments")
		assert.Equal(t, uint64(1000), st.Bytes)
		assert.Equal(t, uint64(goldenLossStalls), st.SegmentsStalled)
		assert.Equal(t, 100*time.Millisecond, time.Since(start),
			"the lost segments are retransmitted together; the rest wait behind them")
	})
}

const goldenLossStalls = 28

func TestVisibleStreamLossDropsBytes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		l := n.Link(a, b)
		l.SetFaults(Faults{Loss: 0.5, VisibleStreamLoss: true, Segment: Segmentation{Mode: SegmentFixed, Size: 10}})
		c, s := pair(t, a, b)
		_, err := c.Write(pattern(1000))
		require.NoError(t, err)
		require.NoError(t, c.Close())
		got, err := io.ReadAll(s)
		require.NoError(t, err)
		lost := l.Counters().SegmentsLost
		assert.Equal(t, uint64(goldenVisibleLost), lost)
		assert.Len(t, got, 1000-10*int(lost))
	})
}

const goldenVisibleLost = 53

func TestBandwidthSerializes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Bandwidth: 1000, Latency: 5 * time.Millisecond})
		c, s := pair(t, a, b)
		start := time.Now()
		_, err := c.Write(pattern(500))
		require.NoError(t, err)
		_, err = c.Write(pattern(250))
		require.NoError(t, err)
		times, sizes, _ := readTimes(t, s, 750, start)
		// Each segment carries 40 bytes of IPv4 and TCP headers on the link.
		assert.Equal(t, []time.Duration{545 * time.Millisecond, 835 * time.Millisecond}, times)
		assert.Equal(t, []int{500, 250}, sizes)
	})
}

func TestPartitionStallsUntilHeal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Latency: 10 * time.Millisecond})
		c, s := pair(t, a, b)
		n.Partition(a, b)
		start := time.Now()
		_, err := c.Write([]byte("across"))
		require.NoError(t, err)
		time.AfterFunc(time.Minute, func() { n.Heal(a, b) })
		buf := make([]byte, 6)
		_, err = io.ReadFull(s, buf)
		require.NoError(t, err)
		assert.Equal(t, "across", string(buf))
		assert.Equal(t, time.Minute+10*time.Millisecond, time.Since(start), "delivered one latency after the heal")
		assert.Equal(t, uint64(1), n.Link(a, b).Counters().SegmentsStalled)
	})
}

func TestResetAfterBytes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{ResetAfterBytes: 100})
		c, s := pair(t, a, b)
		_, err := c.Write(pattern(60))
		require.NoError(t, err)
		k, err := c.Write(pattern(60))
		assert.Equal(t, 40, k)
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		_, err = c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError, "the sender sees the reset too")

		got, err := io.ReadAll(s)
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		assert.Len(t, got, 100, "exactly ResetAfterBytes arrive")
		_, err = s.Write([]byte("x"))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		assert.Equal(t, uint64(1), n.Link(a, b).Counters().Resets)
	})
}

func TestResetAt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		at := time.Now().Add(time.Hour)
		n.Link(a, b).SetFaults(Faults{ResetAt: at})
		errs := make(chan error, 2)
		go func() { _, err := c.Read(make([]byte, 1)); errs <- err }()
		go func() { _, err := s.Read(make([]byte, 1)); errs <- err }()
		for range 2 {
			assert.ErrorIs(t, <-errs, transport.RemoteHostClosedError)
		}
		assert.Equal(t, at, time.Now())
		n.Link(a, b).Update(func(f *Faults) { f.Latency = time.Millisecond })
		c2, s2 := pair2(t, a, b)
		_, err := c2.Write([]byte("fine"))
		assert.NoError(t, err, "a later stream is not reset again")
		_ = s2
	})
}

// pair2 connects a second pair to a fresh port.
func pair2(t *testing.T, a, b *Host) (*Conn, *Conn) {
	ln, err := b.Listen(t.Context(), netip.AddrPortFrom(addrB, 81), transport.ListenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	return dialAccept(t, a, ln.(*Listener), transport.DialOptions{})
}

func TestSegmentationModes(t *testing.T) {
	for _, tc := range []struct {
		name string
		seg  Segmentation
		want string
	}{
		{"whole", Segmentation{ShortReads: true}, "[300]"},
		{"fixed", Segmentation{Mode: SegmentFixed, Size: 128, ShortReads: true}, "[128 128 44]"},
		{"random", Segmentation{Mode: SegmentRandom, Size: 100, ShortReads: true}, goldenRandomSegs},
		{"byte", Segmentation{Mode: SegmentByte, ShortReads: true}, ""},
		{"fixed-long-reads", Segmentation{Mode: SegmentFixed, Size: 10}, "[300]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n, a, b := twoHosts(t)
				l := n.Link(a, b)
				l.SetFaults(Faults{Segment: tc.seg})
				c, s := pair(t, a, b)
				want := pattern(300)
				_, err := c.Write(want)
				require.NoError(t, err)
				_, sizes, got := readTimes(t, s, len(want), time.Now())
				assert.Equal(t, want, got)
				if tc.name == "byte" {
					assert.Len(t, sizes, 300)
					assert.Equal(t, uint64(301), l.Counters().Segments, "the SYN and 300 bytes")
					return
				}
				assert.Equal(t, tc.want, fmt.Sprint(sizes))
			})
		})
	}
}

const goldenRandomSegs = "[98 39 1 57 48 57]"

// TestFaultFreeProperty: with every fault off, random writes arrive in
// order and intact, in both directions at once.
func TestFaultFreeProperty(t *testing.T) {
	for seed := range uint64(20) {
		synctest.Test(t, func(t *testing.T) {
			_, a, b := twoHosts(t)
			c, s := pair(t, a, b)
			rng := rand.New(rand.NewPCG(seed, 1))
			want := pattern(200_000 + rng.IntN(100_000))
			pump(t, rng, c, s, want)
		})
	}
}

// TestZeroProbabilityNeverFires: probabilities of 0 never draw or fire.
func TestZeroProbabilityNeverFires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		l := n.Link(a, b)
		l.SetFaults(Faults{Loss: 0, Latency: time.Millisecond, Segment: Segmentation{Mode: SegmentFixed, Size: 7}})
		c, s := pair(t, a, b)
		rng := rand.New(rand.NewPCG(3, 3))
		pump(t, rng, c, s, pattern(50_000))
		st := l.Counters()
		assert.Zero(t, st.SegmentsStalled)
		assert.Zero(t, st.SegmentsLost)
		assert.Empty(t, l.draws.rngs, "no random draws")
	})
}

// pump writes want from c in random sizes, closes, and checks s reads it all.
func pump(t *testing.T, rng *rand.Rand, c, s *Conn, want []byte) {
	t.Helper()
	go func() {
		for rest := want; len(rest) > 0; {
			k := min(len(rest), 1+rng.IntN(70_000))
			_, err := c.Write(rest[:k])
			if !assert.NoError(t, err) {
				return
			}
			rest = rest[k:]
		}
		assert.NoError(t, c.CloseWrite())
	}()
	got, err := io.ReadAll(s)
	require.NoError(t, err)
	require.Equal(t, want, got)
}

// TestDeterministicTrace: the same seed gives the same tap trace.
func TestDeterministicTrace(t *testing.T) {
	run := func() string {
		var tr string
		synctest.Test(t, func(t *testing.T) {
			rec := &recorder{start: time.Now()}
			n, a, b := twoHosts(t, WithTap(rec))
			faults := Faults{Latency: 3 * time.Millisecond, Jitter: 5 * time.Millisecond, Loss: 0.2,
				Bandwidth: 1 << 20, Segment: Segmentation{Mode: SegmentRandom, Size: 500}}
			n.Link(a, b).SetFaults(faults)
			n.Link(b, a).SetFaults(faults)
			c, s := pair(t, a, b)
			go func() {
				_, _ = io.Copy(s, s) // echo
				s.CloseWrite()
			}()
			_, err := c.Write(pattern(5000))
			require.NoError(t, err)
			require.NoError(t, c.CloseWrite())
			got, err := io.ReadAll(c)
			require.NoError(t, err)
			require.Equal(t, pattern(5000), got)
			tr = rec.trace()
		})
		return tr
	}
	first := run()
	assert.Equal(t, first, run())
	assert.Contains(t, first, "SYN")
	assert.Contains(t, first, "FIN")
}

func TestTapAndCounters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{start: time.Now()}
		n, a, b := twoHosts(t, WithTap(rec))
		c, s := pair(t, a, b)
		_, err := c.Write([]byte("hello"))
		require.NoError(t, err)
		buf := make([]byte, 5)
		_, err = io.ReadFull(s, buf)
		require.NoError(t, err)
		require.NoError(t, c.Close())
		assert.Equal(t, "0s 10.0.0.1:32768>10.0.0.2:80 0 SYN\n"+
			"0s 10.0.0.2:80>10.0.0.1:32768 0 SYN\n"+
			"0s 10.0.0.1:32768>10.0.0.2:80 5\n"+
			"0s 10.0.0.1:32768>10.0.0.2:80 0 FIN", rec.trace())
		assert.Equal(t, uint64(5), a.Counters().StreamBytesSent)
		assert.Equal(t, uint64(5), b.Counters().StreamBytesReceived)
		st := n.Link(a, b).Counters()
		assert.Equal(t, uint64(3), st.Segments, "SYN, data, FIN")
		assert.Equal(t, uint64(5), st.Bytes)
	})
}
