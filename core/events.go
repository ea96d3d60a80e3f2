package core

import "context"

// PostEvent queues fn as an internal event of the object: the way the
// object's own background work (a socket's reader goroutine, say) hands
// results back to the object's context. The events of one object run in
// posting order:
//
//   - on the object's loop, when it has one (they are pumped through it, so
//     they also interleave with its other events), or
//   - in blocking mode, when ProcessEvents or WaitForEvents is called, on
//     the caller's goroutine — Qt's waitFor… functions in a thread without
//     an event loop.
//
// Events posted to a destroyed object are dropped. Safe from any goroutine.
func (o *Object) PostEvent(fn func()) {
	if fn == nil || o.IsDestroyed() {
		return
	}
	o.events.post(fn)
	o.schedulePump()
}

// ProcessEvents runs the internal events queued so far on the calling
// goroutine and returns how many ran. Call it from the object's loop or, in
// blocking mode (no loop), from the goroutine that uses the object; from
// any other goroutine it runs nothing and returns ErrWrongLoop, since the
// events would race with the loop's. It may be called from inside one of
// the object's events: events run one at a time, so the nested call runs
// the ones queued after that event. A destroyed object has none: (0, nil).
func (o *Object) ProcessEvents() (int, error) {
	if err := o.checkCaller(); err != nil {
		return 0, err
	}
	if o.IsDestroyed() {
		return 0, nil
	}
	return o.events.run(), nil
}

// WaitForEvents waits until the object has internal events, runs them on
// the calling goroutine and returns how many ran; it returns ctx.Err() if
// ctx ends first and ErrDestroyed if the object is (or, while it waits,
// gets) destroyed. The building block of blocking calls such as a socket's
// WaitForReadyRead. Same calling rule as ProcessEvents (ErrWrongLoop).
func (o *Object) WaitForEvents(ctx context.Context) (int, error) {
	if err := o.checkCaller(); err != nil {
		return 0, err
	}
	for {
		if o.IsDestroyed() {
			return 0, ErrDestroyed
		}
		if n := o.events.run(); n > 0 {
			return n, nil
		}
		select {
		case <-o.events.wake:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// checkCaller refuses a caller that is not on the object's loop, when the
// object has one.
func (o *Object) checkCaller() error {
	if l := o.loop.Load(); l != nil && !l.IsCurrent() {
		return ErrWrongLoop
	}
	return nil
}

// schedulePump posts one pump of the internal events to the object's loop,
// unless one is already posted.
func (o *Object) schedulePump() {
	l := o.loop.Load()
	if l == nil || o.IsDestroyed() || o.events.pending() == 0 ||
		!o.pumping.CompareAndSwap(false, true) {
		return
	}
	l.disp.Post(func() { o.pump(l) })
}

// pump runs the internal events on loop l. If the object moved meanwhile,
// it hands the events to the new loop instead; if an event panics (the loop
// recovers it) the rest, left queued, get a new pump.
func (o *Object) pump(l *Loop) {
	o.pumping.Store(false)
	defer o.schedulePump() // no-op once destroyed
	if o.loop.Load() == l && !o.IsDestroyed() {
		o.events.run()
	}
}
