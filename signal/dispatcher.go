package signal

import "sync"

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
	mu      sync.Mutex // guards queue
	queue   []Event    // posted, not yet taken by Drain
	spare   []Event    // Drain's batch buffer, reused; owner goroutine only
	wake    chan struct{}
	onPanic func(v any)
}

// NewDispatcher returns an empty dispatcher.
func NewDispatcher() *Dispatcher {
	return &Dispatcher{wake: make(chan struct{}, 1)}
}

// Post queues fn to run on the dispatcher's goroutine.
func (d *Dispatcher) Post(fn func()) { d.PostEvent(funcEvent(fn)) }

// PostEvent queues ev; Deliver runs on the dispatcher's goroutine.
func (d *Dispatcher) PostEvent(ev Event) {
	d.mu.Lock()
	d.queue = append(d.queue, ev)
	first := len(d.queue) == 1
	d.mu.Unlock()
	if first {
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}
}

// Wake returns a channel that receives after events are posted to an empty
// queue. A loop selects on it (with its timers) when it has nothing to do.
func (d *Dispatcher) Wake() <-chan struct{} { return d.wake }

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
// posted while it runs) and returns how many it delivered. Only the owner
// goroutine may call it.
func (d *Dispatcher) Drain() int {
	d.mu.Lock()
	batch := d.queue
	d.queue = d.spare[:0]
	d.mu.Unlock()
	n := 0
	defer func() {
		if n < len(batch) { // a panic escaped: keep the undelivered rest
			d.requeue(batch[n+1:])
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

// requeue puts undelivered events back in front of the queue.
func (d *Dispatcher) requeue(rest []Event) {
	if len(rest) == 0 {
		return
	}
	d.mu.Lock()
	d.queue = append(append(make([]Event, 0, len(rest)+len(d.queue)), rest...), d.queue...)
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}
