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
// connections deliver through the receiver's Dispatcher. Close ends it for
// good: the events still queued are dropped and later posts are refused.
type Dispatcher struct {
	wake chan struct{}

	// The posting side and the draining side sit on separate cache lines,
	// so a producer and the loop on two cores do not bounce one line.
	_      [cacheLine]byte
	mu     sync.Mutex // guards queue, closed, and the posting side of queued connections' FIFOs
	queue  []Event    // posted, not yet taken by Drain
	closed bool
	// queued is len(queue), written under mu and read without it, so that
	// a Drain with nothing to do (the loop's pass after every wake-up)
	// takes no lock.
	queued atomic.Int32

	// owner goroutine only
	_       [cacheLine]byte
	batch   []Event // taken from queue; batch[pos:] is still to deliver
	pos     int
	cur     Event // the event being delivered, nil outside Drain
	onPanic func(v any)
	onDrop  func(n int)
}

// cacheLine is the padding that keeps data written by different goroutines
// on different cache lines.
const cacheLine = 64

// NewDispatcher returns an empty dispatcher.
func NewDispatcher() *Dispatcher {
	return &Dispatcher{wake: make(chan struct{}, 1)}
}

// Post queues fn to run on the dispatcher's goroutine. A nil fn is ignored.
// It fails with ErrLoopClosed, and fn never runs, once the dispatcher is
// closed.
func (d *Dispatcher) Post(fn func()) error {
	if fn == nil {
		return nil
	}
	return d.PostEvent(funcEvent(fn))
}

// PostEvent queues ev; Deliver runs on the dispatcher's goroutine. A nil
// ev is ignored. It fails with ErrLoopClosed, and ev is neither delivered
// nor discarded, once the dispatcher is closed.
func (d *Dispatcher) PostEvent(ev Event) error {
	if ev == nil {
		return nil
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return ErrLoopClosed
	}
	n := d.enqueueLocked(ev)
	d.mu.Unlock()
	d.posted(n == 1, n)
	return nil
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

// SetDropHandler makes the dispatcher report the queued calls it drops
// because it is closed: h gets how many were dropped at once, on the
// goroutine that emitted them (a Queued or BlockingQueued emission to a
// closed dispatcher) or that called Close (the calls still queued). A
// loop logs them; without a handler they are dropped silently. Call it
// before the dispatcher is used.
func (d *Dispatcher) SetDropHandler(h func(n int)) { d.onDrop = h }

func (d *Dispatcher) dropped(n int) {
	if n > 0 && d.onDrop != nil {
		d.onDrop(n)
	}
}

// Discarder is an Event that must know when it will never be delivered:
// Close calls Discard on every such event it drops (a blocking emission's
// call releases its emitter; a queued connection's FIFO lets its calls go).
type Discarder interface {
	Event
	// Discard returns how many queued calls the event stood for.
	Discard() int
}

// Close ends the dispatcher for good. The events still queued are dropped:
// each Discarder's Discard runs, every reference to them is let go, and the
// drop handler is told how many calls went. (Called from an event, Close
// lets the batch under way complete, as Drain's caller expects.) From then
// on Post and PostEvent fail with ErrLoopClosed, a Queued emission to the
// dispatcher is dropped and reported to the drop handler, and a
// BlockingQueued one returns at once without running its slot. Like Drain,
// call it on the owner goroutine or while no goroutine drains. Idempotent.
func (d *Dispatcher) Close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	q := d.queue
	d.queue = nil
	d.queued.Store(0)
	d.mu.Unlock()
	d.dropped(discard(q))
}

// discard drops events and returns how many calls they stood for.
func discard(evs []Event) int {
	n := 0
	for i, ev := range evs {
		if x, ok := ev.(Discarder); ok {
			n += x.Discard()
		} else {
			n++
		}
		evs[i] = nil
	}
	return n
}

// IsClosed reports whether Close has been called.
func (d *Dispatcher) IsClosed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}

// Drain delivers the events that are queued when it is called (not those
// posted while it runs) and returns how many it delivered. (Consecutive
// calls of one queued connection travel as one event.) Only the owner
// goroutine may call it.
//
// An event may call it again (a nested loop, as a blocking wait inside a
// slot runs one). The nested Drain keeps posting order across all events,
// as Qt's nested processEvents does: it first finishes the run of queued
// calls under way, then delivers the rest of the enclosing batch, then what
// was posted before it was called; the enclosing Drain then has nothing
// left of its batch.
func (d *Dispatcher) Drain() int {
	outer := d.cur
	if d.queued.Load() == 0 && d.pos == len(d.batch) && outer == nil {
		return 0 // a post racing with this leaves a wake token
	}
	d.take()
	n := 0
	if r, ok := outer.(interface{ finishRun() }); ok {
		r.finishRun()
	}
	var inFlight Event // set while an event of this level is delivered
	defer func() {
		if inFlight != nil { // a panic escaped it: keep the undelivered rest
			d.cur = outer
			rest := d.batch[d.pos:]
			if restart(inFlight) == 0 {
				rest = append([]Event{inFlight}, rest...)
			}
			d.requeue(rest)
			clear(d.batch)
			d.batch, d.pos = d.batch[:0], 0
		}
	}()
	for d.pos < len(d.batch) {
		inFlight = d.batch[d.pos]
		d.batch[d.pos] = nil
		d.pos++
		d.cur = inFlight
		d.deliver(inFlight)
		d.cur, inFlight = outer, nil
		n++
	}
	d.batch, d.pos = d.batch[:0], 0
	return n
}

// take moves the posted events to the end of the batch.
func (d *Dispatcher) take() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.queue) == 0 {
		return
	}
	if d.pos == len(d.batch) { // the common case: swap buffers
		d.batch, d.queue, d.pos = d.queue, d.batch[:0], 0
	} else {
		d.batch = append(d.batch, d.queue...)
		clear(d.queue)
		d.queue = d.queue[:0]
	}
	d.queued.Store(0)
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
	if d.closed {
		d.mu.Unlock()
		d.dropped(discard(rest))
		return
	}
	d.queue = append(append(make([]Event, 0, len(rest)+len(d.queue)), rest...), d.queue...)
	d.queued.Store(int32(len(d.queue)))
	d.mu.Unlock()
	d.notify()
}
