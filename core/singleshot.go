package core

import (
	"time"

	"github.com/slotnet/slotnet/signal"
)

// SingleShot calls fn once on loop l after d: Qt's QTimer::singleShot. The
// timer it uses destroys itself after firing. It fails with ErrNilFunc,
// ErrNoLoop for a nil loop, ErrNegativeInterval and ErrLoopClosed.
func SingleShot(l *Loop, d time.Duration, fn func()) error {
	if l == nil {
		return ErrNoLoop
	}
	_, err := singleShot(d, fn, WithLoop(l))
	return err
}

// SingleShotTo calls fn once on recv's loop after d, unless recv is
// destroyed first: Qt's QTimer::singleShot with a context object. It fails
// with ErrNilFunc, ErrDestroyed, ErrNoLoop when recv has no loop,
// ErrNegativeInterval and ErrLoopClosed.
func SingleShotTo(recv *Object, d time.Duration, fn func()) error {
	if recv == nil {
		return ErrNoLoop
	}
	if recv.IsDestroyed() {
		return ErrDestroyed
	}
	l := recv.Loop()
	if l == nil {
		return ErrNoLoop
	}
	t, err := singleShot(d, fn, WithLoop(l), signal.To(recv))
	if err != nil {
		return err
	}
	// The timer dies with recv; this connection dies with the timer.
	_, err = recv.Destroyed.Connect(func(*Object) { t.Destroy() },
		signal.WithKind(signal.Direct), signal.To(t))
	if err != nil {
		t.Destroy()
		return err
	}
	return nil
}

// singleShot starts a self-destroying single-shot timer calling fn; extra
// connect options go to its Timeout connection.
func singleShot(d time.Duration, fn func(), loop ObjectOption, copts ...signal.ConnectOption) (*Timer, error) {
	if fn == nil {
		return nil, ErrNilFunc
	}
	t, err := NewTimer(loop, WithSingleShot(), WithInterval(d))
	if err != nil {
		return nil, err
	}
	copts = append(copts, signal.WithKind(signal.Direct))
	_, err = t.Timeout.Connect(func() {
		t.Destroy()
		fn()
	}, copts...)
	if err == nil {
		err = t.Start()
	}
	if err != nil {
		t.Destroy()
		return nil, err
	}
	return t, nil
}
