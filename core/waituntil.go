package core

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
)

// WaitUntil blocks until cond reports true, ctx ends (ctx.Err()), the object
// is destroyed (ErrDestroyed) or its loop is closed (ErrLoopClosed). cond is
// always evaluated where the object's state may be read without a race:
//
//   - for an object on a loop, called from another goroutine: on that loop,
//     once at once and again after each pass of the loop over its events
//     and timers — so a test or a blocking caller can wait for state that
//     the loop changes (a socket's WaitFor… calls are built on it);
//   - for an object without a loop (blocking mode), or called on the
//     object's own loop: on the calling goroutine, after each batch of the
//     object's internal events, which WaitUntil runs there as WaitForEvents
//     does (Qt's waitFor… functions process the object's own notifications
//     only; the loop does not nest).
//
// cond must not block. A cond that panics on a loop is recovered and logged
// like any event's panic, and WaitUntil returns ErrInvokePanicked.
func (o *Object) WaitUntil(ctx context.Context, cond func() bool) error {
	if cond == nil {
		return ErrNilFunc
	}
	for {
		l := o.loop.Load()
		if l == nil || l.IsCurrent() {
			return o.waitHere(ctx, cond)
		}
		moved, err := l.waitFor(ctx, o, cond)
		if !moved {
			return err
		}
	}
}

// waitHere is WaitUntil on the caller's goroutine.
func (o *Object) waitHere(ctx context.Context, cond func() bool) error {
	for {
		if o.IsDestroyed() {
			return ErrDestroyed
		}
		if cond() {
			return nil
		}
		if _, err := o.WaitForEvents(ctx); err != nil {
			return err
		}
	}
}

// A waiter is one WaitUntil blocked on a loop: its cond is evaluated by the
// loop after each pass, and done is closed (once, by whoever removes the
// waiter from the loop's list) when the wait is over.
type waiter struct {
	obj      *Object
	cond     func() bool
	done     chan struct{}
	panicked bool
	moved    bool
}

// waiters is a loop's list of waiters; count lets a pass skip the lock when
// nobody waits.
type waiters struct {
	count atomic.Int32
	mu    sync.Mutex // guards list
	list  []*waiter
}

func (ws *waiters) add(w *waiter) {
	ws.mu.Lock()
	ws.list = append(ws.list, w)
	ws.count.Store(int32(len(ws.list)))
	ws.mu.Unlock()
}

// remove reports whether w was still listed (and is now removed).
func (ws *waiters) remove(w *waiter) bool {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	i := slices.Index(ws.list, w)
	if i < 0 {
		return false
	}
	ws.list = slices.Delete(ws.list, i, i+1)
	ws.count.Store(int32(len(ws.list)))
	return true
}

func (ws *waiters) snapshot() []*waiter {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return slices.Clone(ws.list)
}

// waitFor registers cond on l and waits. moved reports that the object left
// l meanwhile, so the caller must wait again on its new loop.
func (l *Loop) waitFor(ctx context.Context, o *Object, cond func() bool) (moved bool, err error) {
	if l.IsClosed() {
		return false, ErrLoopClosed
	}
	w := &waiter{obj: o, cond: cond, done: make(chan struct{})}
	l.waiters.add(w)
	l.disp.Wakeup() // a pass evaluates cond once at once
	select {
	case <-w.done:
	case <-ctx.Done():
		if l.waiters.remove(w) {
			return false, ctx.Err()
		}
		<-w.done // the loop is finishing it; take its verdict
	case <-l.closeCh:
		if l.waiters.remove(w) {
			return false, ErrLoopClosed
		}
		<-w.done
	}
	switch {
	case w.panicked:
		return false, ErrInvokePanicked
	case w.moved:
		return true, nil
	case o.IsDestroyed():
		return false, ErrDestroyed
	}
	return false, nil
}

// checkWaiters runs on the loop after each pass: every waiter whose object
// is destroyed or moved, or whose cond holds, is finished.
func (l *Loop) checkWaiters() {
	if l.waiters.count.Load() == 0 {
		return
	}
	for _, w := range l.waiters.snapshot() {
		if l.evaluate(w) && l.waiters.remove(w) {
			close(w.done)
		}
	}
}

// evaluate reports whether w's wait is over, recovering a panic in cond.
func (l *Loop) evaluate(w *waiter) (over bool) {
	if w.obj.IsDestroyed() {
		return true
	}
	if w.obj.loop.Load() != l {
		w.moved = true
		return true
	}
	defer func() {
		if v := recover(); v != nil {
			w.panicked = true
			over = true
			if l.repanic {
				panic(v)
			}
			l.logPanic(v)
		}
	}()
	return w.cond()
}
