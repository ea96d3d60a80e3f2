package mem

import (
	"sync"
	"sync/atomic"
	"time"
)

// opDeadline is one direction's net.Conn deadline: a channel that is closed
// when the deadline passes, so a blocked operation selects on it. Setting a
// new deadline while an operation waits moves the same channel's expiry;
// an expired channel is replaced only when the deadline moves back into the
// future or is cleared.
type opDeadline struct {
	mu    sync.Mutex // guards timer, gen, fired, kick and writes to closed
	timer *time.Timer
	gen   uint64 // bumped on every set; a stale timer callback does nothing
	fired chan struct{}
	kick  chan struct{} // signalled when fired closes: the blocked operation's wake-up
	// closed is true while fired is closed; written under mu, read without
	// it by expired, the check on every Read and Write.
	closed atomic.Bool
}

func newOpDeadline() opDeadline { return opDeadline{fired: make(chan struct{})} }

// set arms the deadline at t; the zero time clears it.
func (d *opDeadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if d.closed.Load() && (t.IsZero() || time.Until(t) > 0) {
		d.fired = make(chan struct{})
		d.closed.Store(false)
	}
	if t.IsZero() || d.closed.Load() {
		return
	}
	dur := time.Until(t)
	if dur <= 0 {
		d.fireLocked()
		return
	}
	gen := d.gen
	d.timer = time.AfterFunc(dur, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.gen == gen && !d.closed.Load() {
			d.fireLocked()
		}
	})
}

// fireLocked closes fired and wakes the operation blocked on kick.
func (d *opDeadline) fireLocked() {
	close(d.fired)
	d.closed.Store(true)
	if d.kick != nil {
		wakeOne(d.kick)
	}
}

// notify makes the deadline signal ch when it passes, so that an operation
// blocked on ch alone (one channel, not a select) still times out.
func (d *opDeadline) notify(ch chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.kick = ch
}

// wait returns the channel closed when the deadline passes.
func (d *opDeadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.fired
}

// expired reports whether the deadline has passed.
func (d *opDeadline) expired() bool { return d.closed.Load() }

// stop releases the timer.
func (d *opDeadline) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}
