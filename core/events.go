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
// object has one: ErrLoopClosed if that loop is closed, else ErrWrongLoop.
func (o *Object) checkCaller() error {
	if l := o.loop.Load(); l != nil && !l.IsCurrent() {
		if l.IsClosed() {
			return ErrLoopClosed
		}
		return ErrWrongLoop
	}
	return nil
}

// schedulePump posts one pump of the internal events to the object's loop,
// unless one is already posted there. pumpOn records that loop: a move
// clears it (see moveTree), so a pump stranded in the old loop's queue
// (a loop that is not running) cannot hold up the events on the new one.
// On a closed loop the events are dropped instead (see loopClosed).
func (o *Object) schedulePump() {
	for {
		l := o.loop.Load()
		if l == nil || o.IsDestroyed() || o.events.pending() == 0 ||
			!o.pumpOn.CompareAndSwap(nil, l) {
			return
		}
		if o.loop.Load() != l { // moved meanwhile: pump on the new loop
			o.pumpOn.CompareAndSwap(l, nil)
			continue
		}
		if l.disp.PostEvent((*objectPump)(o)) != nil {
			o.pumpOn.CompareAndSwap(l, nil)
			o.loopClosed(l)
		}
		return
	}
}

// objectPump is the event that pumps an object's internal events on its
// loop. It is the Object itself, so posting it allocates nothing.
type objectPump Object

// Deliver runs the object's internal events, if this pump is the one posted
// to the loop running it; a stale pump (the object moved) does nothing.
func (p *objectPump) Deliver() {
	o := (*Object)(p)
	l := o.pumpOn.Load()
	if l == nil || !l.IsCurrent() || !o.pumpOn.CompareAndSwap(l, nil) {
		return
	}
	o.pump(l)
}

// Discard is called when a closed loop drops the pump: the object's events
// can no longer run there.
func (p *objectPump) Discard() int {
	o := (*Object)(p)
	l := o.pumpOn.Load()
	if l == nil || !l.IsClosed() || !o.pumpOn.CompareAndSwap(l, nil) {
		return 0 // stale: the object moved on, and so did its events
	}
	if o.loop.Load() != l {
		o.schedulePump()
		return 0
	}
	return o.loopClosed(l)
}

// pump runs the internal events on loop l, as long as the object stays on
// l: after a move (made by one of the events) the rest go to the new loop.
// If an event panics (the loop recovers it) the rest, left queued, get a
// new pump.
func (o *Object) pump(l *Loop) {
	defer o.schedulePump() // no-op once destroyed
	if !o.IsDestroyed() {
		o.events.runWhile(func() bool { return o.loop.Load() == l })
	}
}

// loopClosed drops the internal events of an object whose loop l is closed
// and returns how many went, having logged them through l. A pending
// DeleteLater is not dropped: it destroys the object at once.
func (o *Object) loopClosed(l *Loop) int {
	if o.loop.Load() != l {
		return 0
	}
	n := o.events.drop()
	if o.deleteLater.Load() && !o.IsDestroyed() {
		n--
		o.Destroy()
	}
	if n > 0 {
		l.logDropped(n)
	}
	return 0 // reported here already
}
