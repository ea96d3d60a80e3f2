package core

import "sync/atomic"

// A Notifier is a coalescing internal event of an object: however often
// Notify is called, at most one event is queued until it has run, as Qt
// merges repeated socket notifications into one. A socket's reader
// goroutine says "more data arrived" far more often than the loop reads it;
// with a Notifier the loop sees one event per time it catches up, and the
// queue stays bounded.
//
// Create one per kind of notification with [Object.NewNotifier] and keep
// it: Notify allocates nothing (the event it queues is made once).
type Notifier struct {
	obj     *Object
	fn      func()
	run     func() // n.deliver, bound once so posting does not allocate
	pending atomic.Bool
}

// NewNotifier returns a Notifier whose event calls fn as an internal event
// of o (see PostEvent: on o's loop, or in blocking mode on the goroutine
// that processes o's events). It returns nil for a nil fn.
func (o *Object) NewNotifier(fn func()) *Notifier {
	if fn == nil {
		return nil
	}
	n := &Notifier{obj: o, fn: fn}
	n.run = n.deliver
	return n
}

// Notify queues the notification unless one is already queued and has not
// started to run. Safe from any goroutine; a no-op on a nil Notifier or a
// destroyed object. A Notify made while fn runs queues a new event, so no
// notification is ever lost: fn always runs after the last Notify.
func (n *Notifier) Notify() {
	if n == nil || !n.pending.CompareAndSwap(false, true) {
		return
	}
	n.obj.PostEvent(n.run)
}

// Pending reports whether a notification is queued and has not run yet.
func (n *Notifier) Pending() bool { return n != nil && n.pending.Load() }

// deliver clears the pending flag before calling fn, so that data arriving
// while fn runs is announced again.
func (n *Notifier) deliver() {
	n.pending.Store(false)
	n.fn()
}
