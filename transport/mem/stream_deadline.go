package mem

import (
	"sync"
	"time"
)

// opDeadline is one direction's net.Conn deadline: a channel that is closed
// when the deadline passes, so a blocked operation selects on it. Setting a
// new deadline while an operation waits moves the same channel's expiry;
// an expired channel is replaced only when the deadline moves back into the
// future or is cleared.
type opDeadline struct {
	mu     sync.Mutex // guards timer, gen, fired and closed
	timer  *time.Timer
	gen    uint64 // bumped on every set; a stale timer callback does nothing
	fired  chan struct{}
	closed bool // fired is closed
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
	if d.closed && (t.IsZero() || time.Until(t) > 0) {
		d.fired = make(chan struct{})
		d.closed = false
	}
	if t.IsZero() || d.closed {
		return
	}
	dur := time.Until(t)
	if dur <= 0 {
		close(d.fired)
		d.closed = true
		return
	}
	gen := d.gen
	d.timer = time.AfterFunc(dur, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.gen == gen && !d.closed {
			close(d.fired)
			d.closed = true
		}
	})
}

// wait returns the channel closed when the deadline passes.
func (d *opDeadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.fired
}

// expired reports whether the deadline has passed.
func (d *opDeadline) expired() bool {
	select {
	case <-d.wait():
		return true
	default:
		return false
	}
}

// stop releases the timer.
func (d *opDeadline) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}
