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
