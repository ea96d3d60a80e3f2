package signal

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Event is one unit of queued work. A Dispatcher calls Deliver on its owner
// goroutine, in posting order.
type Event interface {
	Deliver()
}

// funcEvent adapts a plain function to Event. A func value is pointer-shaped,
// so storing it in the Event interface does not allocate.
type funcEvent func()

func (f funcEvent) Deliver() { f() }

// Dispatcher is the event queue at the heart of an event loop (core.Loop
// wraps one): any goroutine posts events; the one goroutine that owns the
// dispatcher runs them, in posting order, by calling Drain. Queued
// connections deliver through the receiver's Dispatcher.
type Dispatcher struct {
	wake chan struct{}

	// The posting side and the draining side sit on separate cache lines,
	// so a producer and the loop on two cores do not bounce one line.
	_     [cacheLine]byte
	mu    sync.Mutex // guards queue, and the posting side of queued connections' FIFOs
	queue []Event    // posted, not yet taken by Drain
	// queued is len(queue), written under mu and read without it, so that
	// a Drain with nothing to do (the loop's pass after every wake-up)
	// takes no lock.
	queued atomic.Int32

	_       [cacheLine]byte
	spare   []Event // Drain's next queue buffer, reused; owner goroutine only
	onPanic func(v any)
}

// cacheLine is the padding that keeps data written by different goroutines
// on different cache lines.
const cacheLine = 64

// NewDispatcher returns an empty dispatcher.
func NewDispatcher() *Dispatcher {
	return &Dispatcher{wake: make(chan struct{}, 1)}
}

// Post queues fn to run on the dispatcher's goroutine. A nil fn is ignored.
func (d *Dispatcher) Post(fn func()) {
	if fn != nil {
		d.PostEvent(funcEvent(fn))
	}
}

// PostEvent queues ev; Deliver runs on the dispatcher's goroutine. A nil
// ev is ignored.
func (d *Dispatcher) PostEvent(ev Event) {
	if ev == nil {
		return
	}
	d.mu.Lock()
	n := d.enqueueLocked(ev)
	d.mu.Unlock()
	d.posted(n == 1, n)
}

// backlog is the depth (queue length, or calls in one run of a queued
// connection) at whose every multiple a posting goroutine yields its
// processor, so that a loop a faster producer outruns gets to run (its
// goroutine often waits in the producer's run queue) and the backlog stays
// short in practice. Posting never blocks.
const backlog = 1024

// enqueueLocked appends ev to the queue and returns the queue's new length.
// The caller calls posted after unlocking. d.mu held.
func (d *Dispatcher) enqueueLocked(ev Event) int {
	d.queue = append(d.queue, ev)
	d.queued.Store(int32(len(d.queue)))
	return len(d.queue)
}

// lastIs reports whether ev is the last queued event. d.mu held.
func (d *Dispatcher) lastIs(ev Event) bool {
	return len(d.queue) > 0 && d.queue[len(d.queue)-1] == ev
}

// posted wakes the loop after a post that made the queue non-empty (first),
// and yields when the backlog is deep.
func (d *Dispatcher) posted(first bool, depth int) {
	if first {
		d.notify()
	} else if depth%backlog == 0 {
		runtime.Gosched()
	}
}

// notify leaves a token in the wake channel unless one is already there.
// A post to a non-empty queue needs none: whoever made it non-empty left one.
func (d *Dispatcher) notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Wake returns a channel that receives after events are posted to an empty
// queue, or after Wakeup. A loop waits on it (with its timers) when it has
// nothing to do.
func (d *Dispatcher) Wake() <-chan struct{} { return d.wake }

// Wakeup makes the owner's next (or current) wait on Wake return without
// posting an event: for loops that have other reasons to look around (a
// timer moved earlier, a quit request), so that they can wait on this one
// channel alone.
func (d *Dispatcher) Wakeup() { d.notify() }

// Pending reports how many events wait to be delivered.
func (d *Dispatcher) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.queue)
}

// SetPanicHandler makes Drain recover a panicking event, pass the panic
// value to h (on the goroutine that panicked, so h can capture the stack) and
// carry on with the next event. With no handler a panic propagates out of
// Drain, and the events not yet delivered stay queued. Call it before the
// dispatcher is used.
func (d *Dispatcher) SetPanicHandler(h func(v any)) { d.onPanic = h }

// Drain delivers the events that are queued when it is called (not those
// posted while it runs) and returns how many it delivered. (Consecutive
// calls of one queued connection travel as one event.) Only the owner
// goroutine may call it; an event may call it again (a nested loop), which
// then delivers what was posted since.
func (d *Dispatcher) Drain() int {
	if d.queued.Load() == 0 { // a post racing with this leaves a wake token
		return 0
	}
	d.mu.Lock()
	batch := d.queue
	d.queue, d.spare = d.spare[:0], nil // a nested Drain must not reuse batch
	d.queued.Store(0)
	d.mu.Unlock()
	n := 0
	defer func() {
		if n < len(batch) { // a panic escaped: keep the undelivered rest
			d.requeue(batch[n+restart(batch[n]):])
		}
		clear(batch)
		d.spare = batch[:0]
	}()
	for n < len(batch) {
		d.deliver(batch[n])
		n++
	}
	return n
}

func (d *Dispatcher) deliver(ev Event) {
	if d.onPanic != nil {
		defer func() {
			if v := recover(); v != nil {
				d.onPanic(v)
			}
		}()
	}
	ev.Deliver()
}

// restart returns 0 when ev, whose Deliver panicked, has work left and
// must run again, and 1 otherwise.
func restart(ev Event) int {
	if u, ok := ev.(interface{ unfinished() bool }); ok && u.unfinished() {
		return 0
	}
	return 1
}

// requeue puts undelivered events back in front of the queue.
func (d *Dispatcher) requeue(rest []Event) {
	if len(rest) == 0 {
		return
	}
	d.mu.Lock()
	d.queue = append(append(make([]Event, 0, len(rest)+len(d.queue)), rest...), d.queue...)
	d.queued.Store(int32(len(d.queue)))
	d.mu.Unlock()
	d.notify()
}
