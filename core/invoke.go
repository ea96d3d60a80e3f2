package core

import (
	"context"
	"sync/atomic"
)

// Invoke states: the posted call is waiting, was cancelled before it ran,
// or has started.
const (
	invokePending int32 = iota
	invokeCancelled
	invokeStarted
)

// Invoke runs fn on the loop and waits until it has run: Qt's
// QMetaObject::invokeMethod with a blocking queued connection. Called from
// the goroutine that is processing the loop's events (inside a posted
// function, a slot or a timer of this loop), it runs fn directly instead of
// waiting for itself. The caller is recognised by goroutine id, so the rule
// holds whether the loop runs through Run, Start or ProcessEvents, and never
// misfires for other goroutines.
//
// On a loop that is not running Invoke waits until some goroutine runs it
// (Run, Start or ProcessEvents). It returns ErrLoopClosed if the loop is
// closed before fn runs, and ErrInvokePanicked if fn panicked (the loop
// logged and recovered the panic).
func (l *Loop) Invoke(fn func()) error {
	return l.InvokeContext(context.Background(), fn)
}

// InvokeContext is Invoke with a bound on the wait. If ctx ends before fn
// has started, fn will never run and ctx.Err() is returned; once fn has
// started, InvokeContext waits for it to finish, so a nil error always means
// that fn ran.
func (l *Loop) InvokeContext(ctx context.Context, fn func()) error {
	if fn == nil {
		return ErrNilFunc
	}
	if l.closed.Load() {
		return ErrLoopClosed
	}
	if l.onLoop() {
		fn()
		return nil
	}
	call := &invokeCall{fn: fn, done: make(chan struct{})}
	if l.disp.PostEvent(call) != nil {
		return ErrLoopClosed
	}
	select {
	case <-call.done:
		return call.result()
	case <-ctx.Done():
		return call.abandon(ctx.Err())
	case <-l.closeCh:
		return call.abandon(ErrLoopClosed)
	}
}

// invokeCall is one Invoke waiting for the loop.
type invokeCall struct {
	fn       func()
	state    atomic.Int32
	panicked bool          // written before done is closed
	done     chan struct{} // closed when fn has returned or panicked
}

// Deliver runs on the loop.
func (c *invokeCall) Deliver() {
	if !c.state.CompareAndSwap(invokePending, invokeStarted) {
		return
	}
	finished := false
	defer func() {
		c.panicked = !finished
		close(c.done)
	}()
	c.fn()
	finished = true
}

func (c *invokeCall) result() error {
	if c.panicked {
		return ErrInvokePanicked
	}
	return nil
}

// abandon cancels the call if it has not started, else waits for it.
func (c *invokeCall) abandon(err error) error {
	if c.state.CompareAndSwap(invokePending, invokeCancelled) {
		return err
	}
	<-c.done
	return c.result()
}
