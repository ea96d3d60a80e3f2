package core

import "sync"

// eventQueue is an object's queue of internal events. Unlike a
// signal.Dispatcher it hands out one event at a time, so running events is
// re-entrant: an event may itself wait for and run later events (a slot
// calling a socket's WaitForBytesWritten), as Qt allows.
type eventQueue struct {
	mu   sync.Mutex // guards q, head, seq
	q    []queuedEvent
	head int    // q[:head] is consumed
	seq  uint64 // sequence number of the last posted event
	wake chan struct{}
}

type queuedEvent struct {
	fn  func()
	seq uint64
}

func newEventQueue() *eventQueue { return &eventQueue{wake: make(chan struct{}, 1)} }

// post appends fn and signals wake.
func (e *eventQueue) post(fn func()) {
	e.mu.Lock()
	e.seq++
	e.q = append(e.q, queuedEvent{fn: fn, seq: e.seq})
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// nudge wakes a goroutine waiting in WaitForEvents without queueing an
// event, so that it re-checks the object (destruction).
func (e *eventQueue) nudge() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// pending reports how many events wait.
func (e *eventQueue) pending() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.q) - e.head
}

// run runs the events posted before the call, one at a time, and returns
// how many ran. A panic propagates; the events after it stay queued.
func (e *eventQueue) run() int { return e.runWhile(nil) }

// runWhile is run that stops early, leaving the rest queued, as soon as
// more (if not nil) reports false before an event.
func (e *eventQueue) runWhile(more func() bool) int {
	e.mu.Lock()
	last := e.seq
	e.mu.Unlock()
	n := 0
	for {
		if more != nil && !more() {
			return n
		}
		fn, ok := e.pop(last)
		if !ok {
			return n
		}
		fn()
		n++
	}
}

// drop lets every queued event go and returns how many there were.
func (e *eventQueue) drop() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := len(e.q) - e.head
	clear(e.q)
	e.q, e.head = nil, 0
	return n
}

// pop takes the first event if it was posted no later than last.
func (e *eventQueue) pop(last uint64) (func(), bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.head == len(e.q) || e.q[e.head].seq > last {
		return nil, false
	}
	ev := e.q[e.head]
	e.q[e.head] = queuedEvent{}
	e.head++
	if e.head == len(e.q) {
		e.q, e.head = e.q[:0], 0
	} else if e.head > 64 && e.head*2 > len(e.q) {
		e.q = append(e.q[:0], e.q[e.head:]...)
		e.head = 0
	}
	return ev.fn, true
}
