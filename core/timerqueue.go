package core

import (
	"container/heap"
	"sync"
	"sync/atomic"
	"time"
)

// timerQueue is a loop's timers ordered by deadline (ties in start order).
// The loop waits on one time.Timer set to the earliest deadline, so a loop
// with a thousand idle timers costs one runtime timer, and a stopped loop
// holds none.
type timerQueue struct {
	mu     sync.Mutex   // guards h, seq, closed and the item.index of queued timers
	h      timerHeap    // queued timers
	seq    uint64       // start counter, breaks deadline ties
	closed bool         // set by closeQueue; push refuses afterwards
	wake   func()       // tells the loop the earliest deadline moved earlier
	queued atomic.Int32 // len(h), read without mu so a loop without timers skips them
}

// timerItem is a Timer's place in a queue. when and gen are written with
// both the Timer's mu and the queue's mu held; index under the queue's mu.
type timerItem struct {
	t     *Timer
	when  time.Time
	seq   uint64
	gen   uint64 // the Timer's generation when it was queued
	index int    // position in the heap; -1 when not queued
}

// due is a timer popped because its deadline passed.
type due struct {
	t    *Timer
	when time.Time
	gen  uint64
}

// init sets the function that wakes the queue's loop.
func (q *timerQueue) init(wake func()) { q.wake = wake }

// push queues it at when; it reports false if the queue is closed.
func (q *timerQueue) push(it *timerItem, when time.Time, gen uint64) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	if it.index >= 0 {
		heap.Remove(&q.h, it.index)
	}
	q.seq++
	it.when, it.seq, it.gen = when, q.seq, gen
	heap.Push(&q.h, it)
	first := it.index == 0
	q.queued.Store(int32(len(q.h)))
	q.mu.Unlock()
	if first {
		q.wake()
	}
	return true
}

// remove takes it out of the queue if it is queued.
func (q *timerQueue) remove(it *timerItem) {
	q.mu.Lock()
	if it.index >= 0 {
		heap.Remove(&q.h, it.index)
		q.queued.Store(int32(len(q.h)))
	}
	q.mu.Unlock()
}

// next returns the earliest deadline.
func (q *timerQueue) next() (time.Time, bool) {
	if q.queued.Load() == 0 {
		return time.Time{}, false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.h) == 0 {
		return time.Time{}, false
	}
	return q.h[0].when, true
}

// popDue takes out every timer whose deadline is not after now.
func (q *timerQueue) popDue(now time.Time, out []due) []due {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.h) > 0 && !q.h[0].when.After(now) {
		it := heap.Pop(&q.h).(*timerItem)
		out = append(out, due{t: it.t, when: it.when, gen: it.gen})
	}
	q.queued.Store(int32(len(q.h)))
	return out
}

// closeQueue empties the queue for good and deactivates its timers.
func (q *timerQueue) closeQueue() {
	q.mu.Lock()
	q.closed = true
	items := q.h
	q.h = nil
	q.queued.Store(0)
	for _, it := range items {
		it.index = -1
	}
	q.mu.Unlock()
	for _, it := range items {
		it.t.detach(q)
	}
}

// fireTimers fires, on the loop's goroutine, every timer that is due, and
// returns how many fired. A timer started by a Timeout slot waits for the
// next round, so a zero-interval timer cannot starve the events.
func (l *Loop) fireTimers() int {
	if l.timers.queued.Load() == 0 {
		return 0
	}
	var buf [8]due
	fired := l.timers.popDue(time.Now(), buf[:0])
	n := 0
	for _, d := range fired {
		if d.t.fire(l, d) {
			n++
		}
	}
	return n
}

// timerHeap implements heap.Interface over queued items.
type timerHeap []*timerItem

func (h timerHeap) Len() int { return len(h) }

func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}

func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timerHeap) Push(x any) {
	it := x.(*timerItem)
	it.index = len(*h)
	*h = append(*h, it)
}

func (h *timerHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	it.index = -1
	*h = old[:len(old)-1]
	return it
}
