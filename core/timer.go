package core

import (
	"sync"
	"time"

	"github.com/slotnet/slotnet/signal"
)

// Timer is Qt's QTimer: an object that emits Timeout on its loop when its
// interval has passed, once (single-shot) or repeatedly. It keeps time with
// package time only, so under testing/synctest its intervals take no real
// time. A timer lives on its object's loop; it moves with it (MoveToLoop),
// keeping its remaining time, and stops when the object is destroyed
// (Timeout, bound to the object, is then disconnected with the rest).
//
// A repeating timer with a zero interval fires once per round of its loop,
// after the events pending then: Qt's idiom for work done "when idle". It
// keeps the loop busy, so under testing/synctest virtual time does not
// advance while one is active.
type Timer struct {
	*Object
	// Timeout is emitted on the timer's loop each time the timer expires.
	Timeout signal.Signal0

	mu       sync.Mutex // guards interval, single, gen, q (item: see timerItem)
	interval time.Duration
	single   bool
	gen      uint64      // bumped by every start and stop; stale firings are dropped
	q        *timerQueue // the queue the timer is active in; nil when inactive
	item     timerItem
}

// NewTimer returns an inactive timer. Options: WithLoop or WithParent (the
// loop it fires on), WithInterval, WithSingleShot, WithName. It fails as
// NewObject does, and with ErrNegativeInterval.
func NewTimer(opts ...TimerOption) (*Timer, error) {
	c := timerConfig(opts)
	if c.interval < 0 {
		return nil, ErrNegativeInterval
	}
	obj, err := newObject(c)
	if err != nil {
		return nil, err
	}
	t := &Timer{Object: obj, interval: c.interval, single: c.single}
	t.item = timerItem{t: t, index: -1}
	if err := obj.BindSignals(t); err != nil {
		return nil, err // cannot happen: a new timer, a new object
	}
	obj.onMove(t.move)
	obj.AddDestroyHook(t.Stop) // Destroy then disconnects Timeout
	return t, nil
}

// Start starts (or restarts) the timer with its current interval.
func (t *Timer) Start() error { return t.StartInterval(t.Interval()) }

// StartInterval sets the interval to d and starts (or restarts) the timer:
// Qt's start(msec). It fails with ErrNegativeInterval, ErrDestroyed,
// ErrNoLoop when the timer's object has no loop, and ErrLoopClosed.
func (t *Timer) StartInterval(d time.Duration) error {
	if d < 0 {
		return ErrNegativeInterval
	}
	if t.IsDestroyed() {
		return ErrDestroyed
	}
	l := t.Loop()
	if l == nil {
		return ErrNoLoop
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.interval = d
	t.unqueueLocked()
	if !l.timers.push(&t.item, time.Now().Add(d), t.gen) {
		return ErrLoopClosed
	}
	t.q = &l.timers
	return nil
}

// Stop stops the timer; Timeout is not emitted until it is started again.
func (t *Timer) Stop() {
	t.mu.Lock()
	t.unqueueLocked()
	t.mu.Unlock()
}

// unqueueLocked makes the timer inactive and invalidates popped firings.
func (t *Timer) unqueueLocked() {
	if t.q != nil {
		t.q.remove(&t.item)
		t.q = nil
	}
	t.gen++
}

// SetInterval sets the interval; an active timer restarts with it, as in
// Qt 5. It fails only for a negative d.
func (t *Timer) SetInterval(d time.Duration) error {
	if d < 0 {
		return ErrNegativeInterval
	}
	t.mu.Lock()
	active := t.q != nil
	t.interval = d
	t.mu.Unlock()
	if active {
		return t.StartInterval(d)
	}
	return nil
}

// Interval returns the interval.
func (t *Timer) Interval() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.interval
}

// SetSingleShot makes the timer fire once per start (true) or repeatedly.
func (t *Timer) SetSingleShot(single bool) {
	t.mu.Lock()
	t.single = single
	t.mu.Unlock()
}

// IsSingleShot reports whether the timer fires once per start.
func (t *Timer) IsSingleShot() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.single
}

// IsActive reports whether the timer is running.
func (t *Timer) IsActive() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.q != nil
}

// RemainingTime returns the time left before the timer expires: 0 when it
// is overdue, -1 when it is inactive (as Qt).
func (t *Timer) RemainingTime() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.q == nil {
		return -1
	}
	return max(time.Until(t.item.when), 0)
}

// fire runs on loop l for a firing popped from its queue: it re-arms or
// deactivates the timer, then emits Timeout outside the lock. It reports
// false for a stale firing (the timer was stopped or restarted meanwhile).
func (t *Timer) fire(l *Loop, d due) bool {
	t.mu.Lock()
	if t.gen != d.gen || t.q != &l.timers {
		t.mu.Unlock()
		return false
	}
	if t.single {
		t.q = nil
		t.gen++
	} else {
		next, now := d.when.Add(t.interval), time.Now()
		if next.Before(now) {
			next = now.Add(t.interval) // late: skip the missed ticks
		}
		if !l.timers.push(&t.item, next, t.gen) {
			t.q = nil
		}
	}
	t.mu.Unlock()
	l.guard(t.Timeout.Emit)
	return true
}

// detach deactivates the timer if it is active in q (q is closing).
func (t *Timer) detach(q *timerQueue) {
	t.mu.Lock()
	if t.q == q {
		t.q = nil
		t.gen++
	}
	t.mu.Unlock()
}

// move carries an active timer to its object's new loop, keeping its
// remaining time. A timer moved to no loop stops.
func (t *Timer) move(_, to *Loop) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.q == nil {
		return
	}
	left := max(time.Until(t.item.when), 0)
	t.unqueueLocked()
	if to != nil && to.timers.push(&t.item, time.Now().Add(left), t.gen) {
		t.q = &to.timers
	}
}
