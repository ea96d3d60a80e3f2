package core

import "slices"

// Loop returns the loop the object lives on, or nil in blocking mode.
func (o *Object) Loop() *Loop { return o.loop.Load() }

// MoveToLoop changes the affinity of the object and all its descendants to
// l (nil: blocking mode): their queued slots, internal events and timers run
// on l from then on; an active timer keeps its remaining time. Only a root
// moves: an object with a parent fails with ErrHasParent, as in Qt. It
// fails with ErrDestroyed and ErrLoopClosed too. Call it from the object's
// current loop (or its goroutine in blocking mode).
func (o *Object) MoveToLoop(l *Loop) error {
	switch {
	case o.IsDestroyed():
		return ErrDestroyed
	case o.Parent() != nil:
		return ErrHasParent
	case l != nil && l.IsClosed():
		return ErrLoopClosed
	}
	o.moveTree(l)
	return nil
}

// moveTree moves o, then its descendants, to l.
func (o *Object) moveTree(l *Loop) {
	from := o.loop.Load()
	if from != l {
		o.setLoop(l)
		o.pumpOn.Store(nil) // a pump left in from's queue is stale now
		o.mu.Lock()
		hooks := slices.Clone(o.moved)
		o.mu.Unlock()
		for _, h := range hooks {
			h(from, l)
		}
		o.schedulePump()
	}
	for _, c := range o.Children() {
		c.moveTree(l)
	}
}

func (o *Object) setLoop(l *Loop) {
	o.loop.Store(l)
	if l == nil {
		o.host.SetDispatcher(nil)
		return
	}
	o.host.SetDispatcher(l.disp)
}

// onMove registers h to run when the object's loop changes.
func (o *Object) onMove(h func(from, to *Loop)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.destroyed.Load() {
		o.moved = append(o.moved, h)
	}
}

// CheckLoop reports whether the caller may use the object now: ErrDestroyed
// once it is destroyed, ErrWrongLoop when it lives on a loop and the caller is
// not running that loop's events, else nil. An object without a loop
// (blocking mode) belongs to whichever goroutine uses it. Types built on
// Object (sockets, servers) start their methods with it, so a call from the
// wrong goroutine fails instead of racing with the loop.
func (o *Object) CheckLoop() error {
	if o.IsDestroyed() {
		return ErrDestroyed
	}
	if l := o.Loop(); l != nil && !l.IsCurrent() {
		return ErrWrongLoop
	}
	return nil
}

// Invoke runs fn in the object's context and waits for it: at once when the
// caller is running the object's loop (or the object has none), else on its
// loop through Loop.Invoke, with Loop.Invoke's errors.
func (o *Object) Invoke(fn func()) error {
	if l := o.Loop(); l != nil && !l.IsCurrent() {
		return l.Invoke(fn)
	}
	fn()
	return nil
}
