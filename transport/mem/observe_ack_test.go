package mem

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

// ackRecorder is a Tap and an AckTap.
type ackRecorder struct {
	mu      sync.Mutex
	lost    int
	rto     []time.Duration
	acks    []AckEvent
	streams int
}

func (r *ackRecorder) Stream(ev StreamEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.streams++
	if ev.Retransmit > 0 {
		r.lost++
		r.rto = append(r.rto, ev.Retransmit)
	}
}
func (r *ackRecorder) Datagram(DatagramEvent) {}
func (r *ackRecorder) Ack(ev AckEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.acks = append(r.acks, ev)
}

// TestTapRetransmitAndAcks: every stalled segment's event says when it is
// retransmitted, and an AckTap sees the acknowledgement clock, cumulative
// and ending at everything sent.
func TestTapRetransmitAndAcks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &ackRecorder{}
		n, a, b := twoHosts(t, WithTap(rec))
		c, s := pair(t, a, b)
		n.Link(a, b).SetFaults(Faults{Latency: 10 * time.Millisecond, Loss: 0.1, RetransmitDelay: 300 * time.Millisecond})
		n.Link(b, a).SetFaults(Faults{Latency: 10 * time.Millisecond})
		const size = 100_000
		go func() {
			c.Write(bytes.Repeat([]byte("x"), size))
			c.CloseWrite()
		}()
		got, err := io.ReadAll(s)
		require.NoError(t, err)
		require.Len(t, got, size)
		synctest.Wait()

		rec.mu.Lock()
		defer rec.mu.Unlock()
		require.Positive(t, rec.lost, "10% loss lost nothing")
		require.EqualValues(t, n.Link(a, b).Counters().SegmentsStalled, rec.lost)
		for _, d := range rec.rto {
			require.Equal(t, 300*time.Millisecond, d)
		}
		var last uint64
		for _, ack := range rec.acks {
			require.Equal(t, s.LocalAddrPort(), ack.Src)
			require.Equal(t, c.LocalAddrPort(), ack.Dst)
			require.GreaterOrEqual(t, ack.Ack, last, "acknowledgements go back")
			require.GreaterOrEqual(t, ack.Window, 0)
			last = ack.Ack
		}
		require.EqualValues(t, size, last, "the last acknowledgement covers every byte")
	})
}

// TestTapWithoutAck: a Tap that does not implement AckTap still sees the
// stream on the acknowledgement clock (the acknowledgements are not
// queued for it).
func TestTapWithoutAck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tap Tap = &onlyTap{}
		n, a, b := twoHosts(t, WithTap(tap))
		c, s := pair(t, a, b)
		n.Link(a, b).SetFaults(Faults{Latency: 10 * time.Millisecond})
		go func() {
			c.Write(bytes.Repeat([]byte("x"), 10_000))
			c.CloseWrite()
		}()
		got, err := io.ReadAll(s)
		require.NoError(t, err)
		require.Len(t, got, 10_000)
		synctest.Wait()
		o := tap.(*onlyTap)
		o.mu.Lock()
		defer o.mu.Unlock()
		require.Positive(t, o.n)
	})
}

type onlyTap struct {
	mu sync.Mutex
	n  int
}

func (o *onlyTap) Stream(StreamEvent)     { o.mu.Lock(); o.n++; o.mu.Unlock() }
func (o *onlyTap) Datagram(DatagramEvent) {}
