package signal

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// queueSlot posts the calls of one connection that can be queued. It holds
// one pending FIFO per dispatcher it posts to, in practice just the current
// one: when the receiver moves to another loop, calls already queued stay
// on (and are delivered by) the loop they were posted to.
type queueSlot[A any] struct {
	c    *Connection
	fn   func(A)
	cur  atomic.Pointer[pending[A]]      // FIFO of the latest dispatcher
	idle atomic.Pointer[blockingCall[A]] // a spare blocking call, cheaper than pool
	pool sync.Pool                       // of *blockingCall[A]
}

// item is one queued call: its argument.
type item[A any] struct {
	arg A
}

// pending is the FIFO of one connection's calls on one dispatcher. The
// pending itself is the Event posted for the calls (a pointer, so posting
// allocates nothing).
//
// Calls are appended to in, and the event posted, under d.mu, so the two
// orders agree. Consecutive calls with nothing posted in between form one
// run and travel as one event: a call joins the open run while the
// pending's event is still the last in the dispatcher's queue. Each Deliver
// runs one run. The consumer takes all of in and runs at once (swapping in
// the buffers it emptied), so it takes d.mu once per batch, and while it
// works through a batch the producers write elsewhere.
type pending[A any] struct {
	d *Dispatcher
	q *queueSlot[A]

	// guarded by d.mu
	_    [cacheLine]byte
	in   []item[A] // posted calls
	runs []int     // lengths of the runs in in; the last one may be open

	// d's owner goroutine only
	_       [cacheLine]byte
	out     []item[A] // calls taken from in
	pos     int       // next call in out
	outRuns []int     // runs taken from runs
	rpos    int       // next run in outRuns
	left    int       // calls left in the run being delivered
	owed    int       // events delivered whose runs have not started
	resume  bool      // the next Deliver continues after an escaped panic
	calm    int       // batches in a row that fit the kept buffer size
}

// A FIFO keeps its buffers, however large a burst made them, until calmBatches
// batches in a row fit in keepBytes (or 256 calls); then it lets a large one
// go. Bursts that come back often thus cost no allocation.
const (
	keepBytes   = 64 << 10
	calmBatches = 16
)

// pushLocked appends a call and reports whether it opened a new run, which
// needs an event posted; it returns the run's length. d.mu held.
func (p *pending[A]) pushLocked(it item[A]) (newRun bool, depth int) {
	p.in = append(p.in, it)
	if last := len(p.runs) - 1; last >= 0 && p.d.lastIs(p) {
		p.runs[last]++
		return false, p.runs[last]
	}
	p.runs = append(p.runs, 1)
	return true, 1
}

// pendingFor returns the FIFO for dispatcher d.
func (q *queueSlot[A]) pendingFor(d *Dispatcher) *pending[A] {
	for {
		p := q.cur.Load()
		if p != nil && p.d == d {
			return p
		}
		np := &pending[A]{d: d, q: q}
		if q.cur.CompareAndSwap(p, np) {
			return np
		}
	}
}

// post queues a call with arg on d. On a closed d the call is dropped and
// reported to d's drop handler.
func (q *queueSlot[A]) post(d *Dispatcher, arg A) {
	p := q.pendingFor(d)
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		d.dropped(1)
		return
	}
	newRun, depth := p.pushLocked(item[A]{arg: arg})
	if newRun {
		depth = max(depth, d.enqueueLocked(p))
	}
	d.mu.Unlock()
	d.posted(newRun && depth == 1, depth)
}

// postWait queues a call with arg on d and waits until it has run, was
// dropped because the connection died, or d was closed (also while it
// waited). A blocking call is an event of its
// own rather than an entry in the connection's FIFO: the emitter waits for
// it, so it can never be part of a run, and posting it directly saves the
// FIFO's lock and bookkeeping on the round trip.
func (q *queueSlot[A]) postWait(d *Dispatcher, arg A) {
	b := q.idle.Swap(nil)
	if b == nil {
		if b, _ = q.pool.Get().(*blockingCall[A]); b == nil {
			b = &blockingCall[A]{q: q, done: make(chan struct{}, 1)}
		}
	}
	b.arg = arg
	if d.PostEvent(b) == nil {
		<-b.done
	} else {
		d.dropped(1)
	}
	var zero A
	b.arg = zero
	if !q.idle.CompareAndSwap(nil, b) {
		q.pool.Put(b)
	}
}

// blockingCall is one BlockingQueued call: the event posted for it, its
// argument, and the channel its emitter waits on. Calls are reused, so a
// blocking emission allocates nothing.
type blockingCall[A any] struct {
	q    *queueSlot[A]
	arg  A
	done chan struct{}
}

// Discard releases the emitter of a call that will never run (its
// dispatcher closed).
func (b *blockingCall[A]) Discard() int {
	b.done <- struct{}{}
	return 1
}

// Deliver runs the call unless its connection died, and releases the
// emitter, also when the slot panics.
func (b *blockingCall[A]) Deliver() {
	defer func() { b.done <- struct{}{} }()
	if b.q.c.deliverable() {
		b.q.fn(b.arg)
	}
}

// Deliver runs the oldest run of calls; a call runs only if the connection
// is still alive. Each event owes one run. A Deliver nested in a slot of
// this connection (a nested loop) first finishes the run under way, so
// calls keep their order. With a panic handler on the dispatcher, a
// panicking call is handed to it and the run goes on; without, the panic
// leaves the work unfinished, and Drain queues the event again.
func (p *pending[A]) Deliver() {
	if p.resume {
		p.resume = false
	} else {
		p.owed++
	}
	protect := p.d.onPanic != nil
	for p.left > 0 || p.owed > 0 {
		if p.left == 0 {
			if p.rpos == len(p.outRuns) && !p.refill() {
				p.owed = 0 // cannot happen: every event comes with its run
				return
			}
			p.left = p.outRuns[p.rpos]
			p.rpos++
			p.owed--
		}
		p.left--
		it := p.out[p.pos]
		p.out[p.pos] = item[A]{}
		p.pos++
		if protect {
			p.callProtected(it)
		} else {
			p.q.call(it)
		}
	}
}

// finishRun delivers the rest of the run under way; a Drain nested in one
// of its calls does this first, so that the calls keep their place in the
// posting order.
func (p *pending[A]) finishRun() {
	if p.left > 0 {
		p.resume = true
		p.Deliver()
	}
}

// Discard drops the run of calls of one of the FIFO's events that its
// dispatcher dropped (it closed), and returns how many calls went. Events
// and runs pair up in order, and the dropped events are the latest, so the
// run is the last one posted.
func (p *pending[A]) Discard() int {
	p.d.mu.Lock()
	if last := len(p.runs) - 1; last >= 0 {
		n := p.runs[last]
		k := len(p.in) - n
		clear(p.in[k:])
		p.in, p.runs = p.in[:k], p.runs[:last]
		p.d.mu.Unlock()
		return n
	}
	p.d.mu.Unlock()
	if last := len(p.outRuns) - 1; last >= p.rpos {
		n := p.outRuns[last]
		k := len(p.out) - n
		clear(p.out[k:])
		p.out, p.outRuns = p.out[:k], p.outRuns[:last]
		return n
	}
	return 0
}

// unfinished reports whether a panic escaped with work left, and if so
// makes the event's next Deliver a continuation. Drain calls it once per
// escaped panic.
func (p *pending[A]) unfinished() bool {
	p.resume = p.left > 0 || p.owed > 0
	return p.resume
}

// callProtected runs one call, handing a panic to the dispatcher's handler.
func (p *pending[A]) callProtected(it item[A]) {
	defer func() {
		if v := recover(); v != nil {
			p.d.onPanic(v)
		}
	}()
	p.q.call(it)
}

// refill takes every posted call and run in one step. The emptied buffers
// become the producers' next ones, unless they are large and unneeded.
func (p *pending[A]) refill() bool {
	keep := max(256, keepBytes/max(1, int(unsafe.Sizeof(item[A]{}))))
	spent, spentRuns := p.out[:0], p.outRuns[:0]
	if cap(spent) > keep && p.calm >= calmBatches {
		spent, spentRuns = nil, nil
	}
	p.d.mu.Lock()
	p.out, p.in = p.in, spent
	p.outRuns, p.runs = p.runs, spentRuns
	p.d.mu.Unlock()
	p.pos, p.rpos = 0, 0
	if len(p.out) > keep {
		p.calm = 0
	} else {
		p.calm = min(p.calm+1, calmBatches)
	}
	return len(p.outRuns) > 0
}

// call runs one queued call unless its connection died.
func (q *queueSlot[A]) call(it item[A]) {
	if q.c.deliverable() {
		q.fn(it.arg)
	}
}
