package signal

import (
	"runtime"
	"sync"
	"testing"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 6 item 10: A1, C1, B1 are emitted on three signals; A1's slot
// emits B2 and drains (a nested loop). Qt (PyQt5, postEvent then a nested
// processEvents) delivers A1 C1 B1 B2: posting order across signals.
func TestNestedDrainKeepsCrossSignalOrder(t *testing.T) {
	recv, d := manual()
	var a, b, c Signal[string]
	var got []string
	rec := func(v string) { got = append(got, v) }
	mustConnect(t, &a, func(v string) {
		rec(v)
		b.Emit("B2")
		d.Drain()
		rec("A1 done")
	}, Queued, To(recv))
	mustConnect(t, &b, rec, Queued, To(recv))
	mustConnect(t, &c, rec, Queued, To(recv))
	a.Emit("A1")
	c.Emit("C1")
	b.Emit("B1")
	d.Drain()
	assert.Equal(t, []string{"A1", "C1", "B1", "B2", "A1 done"}, got)
	assert.Zero(t, d.Pending())
	assert.Zero(t, d.Drain())
}

// A nested Drain first finishes the run of the connection under way: the
// calls after the one that nests were posted before everything else.
func TestNestedDrainFinishesRunFirst(t *testing.T) {
	recv, d := manual()
	var a, c Signal[int]
	var got []int
	mustConnect(t, &a, func(v int) {
		got = append(got, v)
		if v == 1 {
			d.Drain()
		}
	}, Queued, To(recv))
	mustConnect(t, &c, func(v int) { got = append(got, v) }, Queued, To(recv))
	a.Emit(1)
	a.Emit(2) // same run as 1
	c.Emit(3)
	d.Drain()
	assert.Equal(t, []int{1, 2, 3}, got)
}

func TestDispatcherCloseRefusesAndDrops(t *testing.T) {
	recv, d := manual()
	var dropped []int
	d.SetDropHandler(func(n int) { dropped = append(dropped, n) })
	var s Signal[int]
	mustConnect(t, &s, func(int) { t.Error("slot ran after Close") }, Queued, To(recv))
	s.Emit(1)
	s.Emit(2)
	require.NoError(t, d.Post(func() { t.Error("post ran after Close") }))
	d.Close()
	assert.True(t, d.IsClosed())
	assert.Equal(t, []int{3}, dropped, "two queued calls and a post")
	assert.ErrorIs(t, d.Post(func() {}), ErrLoopClosed)
	assert.ErrorIs(t, d.PostEvent(funcEvent(func() {})), ErrLoopClosed)
	s.Emit(3)
	assert.Equal(t, []int{3, 1}, dropped, "an emission to a closed dispatcher is reported")
	assert.Zero(t, d.Pending())
	assert.Zero(t, d.Drain())
	d.Close() // idempotent
}

// Issue 6 item 10: calls queued to a closed loop must not pile up, and
// Close must let go of what was queued.
func TestDispatcherCloseLetsGoOfQueuedCalls(t *testing.T) {
	recv, d := manual()
	var s Signal[*[1 << 10]byte]
	mustConnect(t, &s, func(*[1 << 10]byte) {}, Queued, To(recv))
	big := new([1 << 10]byte)
	w := weak.Make(big)
	s.Emit(big)
	fn := func() { _ = big }
	require.NoError(t, d.Post(fn))
	big, fn = nil, nil
	d.Close()
	runtime.GC()
	assert.Nil(t, w.Value(), "Close keeps a queued argument reachable")
	for range 100_000 {
		s.Emit(new([1 << 10]byte))
	}
	p := s.l.snap.Load().queues[0].cur.Load()
	assert.Zero(t, len(p.in)+len(p.out), "emissions to a closed dispatcher pile up")
}

// Issue 6 item 10: a BlockingQueued emission to a closed dispatcher returns
// at once, and an emitter already waiting is released by Close.
func TestBlockingQueuedOnClosedDispatcher(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	mustConnect(t, &s, func(int) { t.Error("slot ran after Close") }, BlockingQueued, To(recv))
	var wg sync.WaitGroup
	wg.Go(func() { s.Emit(1) }) // waits: nobody drains
	for d.Pending() == 0 {
		runtime.Gosched()
	}
	d.Close()
	wg.Wait()
	s.Emit(2) // refused at once
}

// Close from inside an event lets the batch under way complete, including
// a queued connection's run in it, and drops only the run posted after the
// batch began: a FIFO's events and runs pair up.
func TestDispatcherCloseFromEventKeepsBatch(t *testing.T) {
	recv, d := manual()
	dropped := 0
	d.SetDropHandler(func(n int) { dropped += n })
	var s Signal[int]
	var got []int
	mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv))
	require.NoError(t, d.Post(func() {
		s.Emit(2) // a new run: the queue was taken
		d.Close()
	}))
	s.Emit(1) // in the batch, behind the closing event
	assert.Equal(t, 2, d.Drain())
	assert.Equal(t, []int{1}, got)
	assert.Equal(t, 1, dropped)
}
