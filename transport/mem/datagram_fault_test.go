package mem

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// dgArrival is one datagram read by a collector, with its dgArrival time.
type dgArrival struct {
	id int
	at time.Duration // since the collector started
}

// dgCollect reads datagrams carrying a 4-byte id on s until it is closed or
// its read deadline passes, and returns them when done is called.
func dgCollect(t *testing.T, s *DatagramSocket) (done func() []dgArrival) {
	t.Helper()
	start := time.Now()
	var got []dgArrival
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 2048)
		for {
			n, _, err := s.ReadDatagram(buf)
			if err != nil {
				return
			}
			if n < 4 {
				continue
			}
			got = append(got, dgArrival{int(binary.BigEndian.Uint32(buf)), time.Since(start)})
		}
	}()
	return func() []dgArrival {
		synctest.Wait()
		require.NoError(t, s.SetReadDeadline(time.Now()))
		wg.Wait()
		return got
	}
}

// dgSendIDs sends count datagrams carrying dgIDs 0..count-1 (size bytes each).
func dgSendIDs(t *testing.T, tx *DatagramSocket, dst string, count, size int) {
	t.Helper()
	buf := make([]byte, max(size, 4))
	for i := range count {
		binary.BigEndian.PutUint32(buf, uint32(i))
		_, err := tx.WriteDatagram(buf, dgAP(dst))
		require.NoError(t, err)
	}
}

func dgIDs(as []dgArrival) []int {
	out := make([]int, len(as))
	for i, a := range as {
		out[i] = a.id
	}
	return out
}

// dgFaultPair returns a sender on a and a receiver on b:5000 with the a→b
// link's faults set.
func dgFaultPair(t *testing.T, f Faults, opts ...Option) (w dgWorld, tx, rx *DatagramSocket) {
	w = newDGWorld(t, opts...)
	w.n.Link(w.a, w.b).SetFaults(f)
	rx = bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	tx = bindDG(t, w.a, "0.0.0.0:4000", transport.BindOptions{})
	return w, tx, rx
}

func TestDatagramLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, tx, rx := dgFaultPair(t, Faults{Latency: 30 * time.Millisecond})
		start := time.Now()
		dgSend(t, tx, "x", "10.0.0.2:5000")
		time.Sleep(30*time.Millisecond - time.Nanosecond)
		synctest.Wait()
		assert.Equal(t, 0, dgPending(rx), "not before the latency")
		p, _ := dgRecv(t, rx)
		assert.Equal(t, "x", p)
		assert.Equal(t, 30*time.Millisecond, time.Since(start), "delivered at exactly t+L")
	})
}

func TestDatagramJitterStaysInBounds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, tx, rx := dgFaultPair(t, Faults{Latency: 10 * time.Millisecond, Jitter: 5 * time.Millisecond})
		done := dgCollect(t, rx)
		dgSendIDs(t, tx, "10.0.0.2:5000", 200, 8)
		time.Sleep(20 * time.Millisecond)
		got := done()
		require.Len(t, got, 200)
		for _, a := range got {
			assert.GreaterOrEqual(t, a.at, 10*time.Millisecond)
			assert.LessOrEqual(t, a.at, 15*time.Millisecond)
		}
		assert.Equal(t, uint64(200), w.n.Link(w.a, w.b).Counters().DatagramsDelivered)
	})
}

func TestDatagramLossGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, tx, rx := dgFaultPair(t, Faults{Loss: 0.3})
		dgSendIDs(t, tx, "10.0.0.2:5000", 1000, 8)
		synctest.Wait()
		c := w.n.Link(w.a, w.b).Counters()
		assert.Equal(t, uint64(goldenLost), c.DatagramsLost, "golden count for seed %d", dgSeed)
		assert.Equal(t, uint64(1000-goldenLost), c.DatagramsDelivered)
		assert.Equal(t, 1000-goldenLost, dgPending(rx))
		dgIncreasing(t, dgDrainIDs(t, rx))
	})
}

func TestDatagramDuplicateGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, tx, rx := dgFaultPair(t, Faults{Duplicate: 0.2})
		dgSendIDs(t, tx, "10.0.0.2:5000", 1000, 8)
		synctest.Wait()
		c := w.n.Link(w.a, w.b).Counters()
		assert.Equal(t, uint64(goldenDuplicated), c.DatagramsDuplicated)
		got := dgDrainIDs(t, rx)
		require.Len(t, got, 1000+goldenDuplicated)
		seen := map[int]int{}
		for i, id := range got {
			seen[id]++
			if i > 0 {
				assert.True(t, got[i-1] == id || got[i-1] == id-1, "a duplicate follows its original")
			}
		}
		assert.Len(t, seen, 1000)
	})
}

func TestDatagramReorderGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, tx, rx := dgFaultPair(t, Faults{Reorder: 0.1})
		done := dgCollect(t, rx)
		dgSendIDs(t, tx, "10.0.0.2:5000", 1000, 8)
		got := dgIDs(done())
		c := w.n.Link(w.a, w.b).Counters()
		assert.Equal(t, uint64(goldenReordered), c.DatagramsReordered)
		require.Len(t, got, 1000)
		swaps := 0
		for i := 0; i+1 < len(got); i++ {
			if got[i] > got[i+1] {
				swaps++
				assert.Equal(t, got[i], got[i+1]+1, "held back behind exactly the next one")
			}
		}
		assert.Equal(t, goldenReordered, swaps)
	})
}

func TestDatagramReorderWithoutSuccessor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, tx, rx := dgFaultPair(t, Faults{Latency: time.Millisecond, Reorder: 1})
		start := time.Now()
		dgSend(t, tx, "alone", "10.0.0.2:5000")
		p, _ := dgRecv(t, rx)
		assert.Equal(t, "alone", p)
		assert.Equal(t, time.Millisecond+ReorderWindow, time.Since(start))
	})
}

func TestDatagramBandwidth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 100 bytes on the wire each (72 + 28 of headers) at 10 kB/s: 10ms.
		_, tx, rx := dgFaultPair(t, Faults{Bandwidth: 10_000, Latency: 5 * time.Millisecond})
		done := dgCollect(t, rx)
		dgSendIDs(t, tx, "10.0.0.2:5000", 10, 72)
		time.Sleep(time.Second)
		got := done()
		require.Len(t, got, 10)
		for i, a := range got {
			assert.Equal(t, i, a.id)
			assert.Equal(t, time.Duration(i+1)*10*time.Millisecond+5*time.Millisecond, a.at)
		}
	})
}

func TestDatagramPartition(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, tx, rx := dgFaultPair(t, Faults{})
		w.n.Partition(w.a, w.b)
		dgSend(t, tx, "lost", "10.0.0.2:5000")
		synctest.Wait()
		assert.Equal(t, 0, dgPending(rx))
		assert.Equal(t, uint64(1), w.n.Link(w.a, w.b).Counters().PartitionedDrops)
		w.n.Heal(w.a, w.b)
		dgSend(t, tx, "through", "10.0.0.2:5000")
		assert.Equal(t, []string{"through"}, dgDrain(t, rx))
	})
}

// dgTap keeps every datagram event.
type dgTap struct {
	mu  sync.Mutex // guards evs
	evs []DatagramEvent
}

func (r *dgTap) Stream(StreamEvent) {}

func (r *dgTap) Datagram(ev DatagramEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev.Data = append([]byte(nil), ev.Data...)
	r.evs = append(r.evs, ev)
}

func TestDatagramTap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { testDatagramTap(t) })
}

func testDatagramTap(t *testing.T) {
	tap := &dgTap{}
	w, tx, rx := dgFaultPair(t, Faults{}, WithTap(tap))
	require.NoError(t, rx.SetOption(transport.ReceiveBufferSizeSocketOption, 1))
	dgSend(t, tx, "ok", "10.0.0.2:5000")
	dgSend(t, tx, "full", "10.0.0.2:5000")
	w.n.Link(w.a, w.b).SetFaults(Faults{Loss: 1})
	dgSend(t, tx, "lost", "10.0.0.2:5000")
	w.n.Link(w.a, w.b).SetFaults(Faults{Duplicate: 1})
	dgDrain(t, rx)
	require.NoError(t, rx.SetOption(transport.ReceiveBufferSizeSocketOption, DefaultReceiveBuffer))
	dgSend(t, tx, "twice", "10.0.0.2:5000")
	synctest.Wait()
	assert.Equal(t, []string{"twice", "twice"}, dgDrain(t, rx))

	require.Len(t, tap.evs, 4)
	for i, want := range []struct {
		data             string
		dropped, doubled bool
	}{{"ok", false, false}, {"full", true, false}, {"lost", true, false}, {"twice", false, true}} {
		ev := tap.evs[i]
		assert.Equal(t, want.data, string(ev.Data))
		assert.Equal(t, want.dropped, ev.Dropped, want.data)
		assert.Equal(t, want.doubled, ev.Duplicated, want.data)
		assert.Equal(t, dgAP("10.0.0.1:4000"), ev.Src)
		assert.Equal(t, dgAP("10.0.0.2:5000"), ev.Dst)
	}
}

// Property: without faults, or with a fixed latency only, every datagram
// arrives intact and in order.
func TestDatagramPropertyFaultFreeInOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for trial := range 30 {
		latency := time.Duration(r.IntN(3)) * time.Millisecond
		sizes := make([]int, 1+r.IntN(50))
		for i := range sizes {
			sizes[i] = r.IntN(1472 + 1)
		}
		synctest.Test(t, func(t *testing.T) {
			_, tx, rx := dgFaultPair(t, Faults{Latency: latency})
			var sent [][]byte
			for i, n := range sizes {
				b := make([]byte, n)
				for j := range b {
					b[j] = byte(i + j)
				}
				sent = append(sent, b)
				_, err := tx.WriteDatagram(b, dgAP("10.0.0.2:5000"))
				require.NoError(t, err)
				if r.IntN(4) == 0 {
					time.Sleep(time.Duration(r.IntN(2000)) * time.Microsecond)
				}
			}
			time.Sleep(latency)
			synctest.Wait()
			buf := make([]byte, 2000)
			for i, want := range sent {
				n, meta, err := rx.ReadDatagram(buf)
				require.NoError(t, err, "trial %d datagram %d", trial, i)
				require.False(t, meta.Truncated)
				require.Equal(t, want, buf[:n], "trial %d datagram %d", trial, i)
			}
			assert.Equal(t, 0, dgPending(rx))
		})
	}
}

// Property: a probability of 0 never fires, whatever else the link does.
func TestDatagramPropertyZeroProbabilityNeverFires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w, tx, rx := dgFaultPair(t, Faults{Latency: time.Millisecond, Jitter: time.Millisecond})
		done := dgCollect(t, rx)
		dgSendIDs(t, tx, "10.0.0.2:5000", 500, 8)
		time.Sleep(3 * time.Millisecond)
		got := done()
		c := w.n.Link(w.a, w.b).Counters()
		assert.Zero(t, c.DatagramsLost)
		assert.Zero(t, c.DatagramsDuplicated)
		assert.Zero(t, c.DatagramsReordered)
		assert.Zero(t, c.PartitionedDrops)
		assert.Len(t, got, 500)
	})
}

// The same seed replays the same fate for every datagram.
func TestDatagramSeedReplays(t *testing.T) {
	run := func() []int {
		var got []int
		synctest.Test(t, func(t *testing.T) {
			_, tx, rx := dgFaultPair(t, Faults{Loss: 0.2, Duplicate: 0.1, Reorder: 0.1,
				Latency: time.Millisecond, Jitter: 2 * time.Millisecond})
			done := dgCollect(t, rx)
			dgSendIDs(t, tx, "10.0.0.2:5000", 300, 8)
			time.Sleep(20 * time.Millisecond)
			got = dgIDs(done())
		})
		return got
	}
	first := run()
	assert.Equal(t, first, run())
	assert.NotEmpty(t, first)
}

func dgDrainIDs(t *testing.T, s *DatagramSocket) []int {
	t.Helper()
	var out []int
	for _, p := range dgDrain(t, s) {
		out = append(out, int(binary.BigEndian.Uint32([]byte(p))))
	}
	return out
}

func dgIncreasing(t *testing.T, xs []int) {
	t.Helper()
	for i := 1; i < len(xs); i++ {
		require.Less(t, xs[i-1], xs[i])
	}
}

// Golden counts for dgSeed.
const (
	goldenLost       = 335
	goldenDuplicated = 183
	goldenReordered  = 79
)

// Concurrent senders on one delayed link, in real time: every datagram
// arrives once and each sender's datagrams keep their order.
func TestDatagramConcurrentSendersKeepOrder(t *testing.T) {
	const senders, each = 4, 200
	w := newDGWorld(t)
	w.n.Link(w.a, w.b).SetFaults(Faults{Latency: 50 * time.Microsecond})
	rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	var wg sync.WaitGroup
	for i := range senders {
		tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 8)
			for seq := range each {
				binary.BigEndian.PutUint32(buf, uint32(i))
				binary.BigEndian.PutUint32(buf[4:], uint32(seq))
				if _, err := tx.WriteDatagram(buf, dgAP("10.0.0.2:5000")); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	next := make([]uint32, senders)
	buf := make([]byte, 16)
	require.NoError(t, rx.SetReadDeadline(time.Now().Add(10*time.Second)))
	for range senders * each {
		n, _, err := rx.ReadDatagram(buf)
		require.NoError(t, err)
		require.Equal(t, 8, n)
		from, seq := binary.BigEndian.Uint32(buf), binary.BigEndian.Uint32(buf[4:])
		require.Equal(t, next[from], seq, "sender %d out of order", from)
		next[from]++
	}
	wg.Wait()
	assert.Equal(t, 0, dgPending(rx))
}
