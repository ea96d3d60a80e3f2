package spy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slotnet/slotnet/core"
)

// ErrNilObject is returned by WaitOn for a nil object.
var ErrNilObject = errors.New("spy: nil object")

// Wait blocks until at least n emissions of name ("" for any signal) are
// recorded — Count(name) >= n, so it counts what is already there: Clear
// or Take first to wait for new ones — or until ctx ends, returning
// ctx.Err() wrapped with the count reached (a nil ctx never ends). It
// sleeps until a record wakes it, never polling. A nil Recorder gives
// ErrNilRecorder.
//
// Wait processes no events: the emissions must come from some other
// goroutine, such as a loop started with core.Loop.Start. When the
// emitter is an object without a loop, whose events only the waiting
// goroutine can run, use WaitOn. Under testing/synctest a Wait whose ctx
// has a timeout returns as soon as every goroutine of the bubble is blocked,
// without real time passing.
func (r *Recorder) Wait(ctx context.Context, name string, n int) error {
	if r == nil {
		return ErrNilRecorder
	}
	if ctx == nil {
		ctx = context.Background()
	}
	for {
		r.mu.Lock()
		got := r.countLocked(name)
		if got >= n {
			r.mu.Unlock()
			return nil
		}
		// The channel is made by the waiter, so under synctest it belongs
		// to the waiter's bubble whatever goroutine made the Recorder.
		if r.wake == nil {
			r.wake = make(chan struct{})
		}
		wake := r.wake
		r.waiting++
		r.mu.Unlock()
		select {
		case <-wake:
			r.leave(wake)
		case <-ctx.Done():
			r.leave(wake)
			return r.waitErr(ctx.Err(), name, n)
		}
	}
}

// leave ends one waiter's wait on wake. The last waiter to leave drops an
// unclosed channel, so that no record touches it after a synctest bubble
// it belongs to has ended.
func (r *Recorder) leave(wake chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waiting--
	if r.waiting == 0 && r.wake == wake {
		r.wake = nil
	}
}

// WaitTimeout is Wait with a timeout of d; it reports whether the n
// emissions came in time: Qt's QSignalSpy::wait, with a count.
func (r *Recorder) WaitTimeout(name string, n int, d time.Duration) bool {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return r.Wait(ctx, name, n) == nil
}

// WaitOn is Wait for emissions caused by obj's events: it waits with
// obj.WaitUntil, which for an object without a loop (blocking mode) runs
// the object's internal events on the calling goroutine as they come — the
// only way they run — and for an object on a loop checks the count on that
// loop after each of its passes. It fails with ErrNilRecorder and
// ErrNilObject, and returns when obj is destroyed
// (core.ErrDestroyed) or its loop closed (core.ErrLoopClosed).
func (r *Recorder) WaitOn(ctx context.Context, obj *core.Object, name string, n int) error {
	switch {
	case r == nil:
		return ErrNilRecorder
	case obj == nil:
		return ErrNilObject
	case ctx == nil:
		ctx = context.Background()
	}
	err := obj.WaitUntil(ctx, func() bool { return r.Count(name) >= n })
	if err != nil {
		return r.waitErr(err, name, n)
	}
	return nil
}

func (r *Recorder) waitErr(err error, name string, n int) error {
	what := fmt.Sprintf("%q", name)
	if name == "" {
		what = "any signal"
	}
	return fmt.Errorf("spy: waiting for %d of %s, got %d: %w", n, what, r.Count(name), err)
}
