package tcp

import (
	"sync"
	"time"
)

// deadline is one of the view's deadlines: a channel closed when it
// passes. A blocked call waits on the channel it took when it began;
// moving the deadline while it waits keeps that channel (unless it has
// passed already), so the new deadline takes effect on the call under way.
type deadline struct {
	wake func() // tells the loop to look again

	mu    sync.Mutex // guards the fields below
	ch    chan struct{}
	timer *time.Timer
	gen   uint64 // which set the timer belongs to
}

// channel returns the channel that closes when the deadline passes.
func (d *deadline) channel() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ch == nil {
		d.ch = make(chan struct{})
	}
	return d.ch
}

// set moves the deadline to t (zero: none).
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	d.stopLocked()
	if d.ch == nil || expired(d.ch) {
		d.ch = make(chan struct{})
	}
	wait := time.Until(t)
	switch {
	case t.IsZero():
	case wait <= 0:
		close(d.ch)
	default:
		gen, ch := d.gen, d.ch
		d.timer = time.AfterFunc(wait, func() { d.fire(gen, ch) })
	}
	d.mu.Unlock()
	if !t.IsZero() && wait <= 0 {
		d.wake()
	}
}

// fire closes ch if it is still the deadline of set number gen.
func (d *deadline) fire(gen uint64, ch chan struct{}) {
	d.mu.Lock()
	now := d.gen == gen && d.ch == ch && !expired(ch)
	if now {
		close(ch)
	}
	d.mu.Unlock()
	if now {
		d.wake()
	}
}

// stop cancels the timer (the view is closed).
func (d *deadline) stop() {
	d.mu.Lock()
	d.stopLocked()
	d.mu.Unlock()
}

func (d *deadline) stopLocked() {
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}

// expired reports whether a deadline channel has closed.
func expired(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
