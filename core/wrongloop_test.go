package core

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/signal"
)

// processed is Object.ProcessEvents for a caller that is allowed to call it.
func processed(t *testing.T, o *Object) int {
	t.Helper()
	n, err := o.ProcessEvents()
	require.NoError(t, err)
	return n
}

// An object with a loop has its internal events run by that loop only: a
// foreign goroutine's ProcessEvents or WaitForEvents is refused, not raced
// (the race detector would flag the event below if it ran here).
func TestForeignGoroutineIsRefused(t *testing.T) {
	l := NewLoop(WithName("owner"))
	require.NoError(t, l.Start())
	defer l.Close()
	o := newObj(t, WithLoop(l))
	ran := make(chan bool, 1)
	var onLoop bool
	o.PostEvent(func() { onLoop = l.IsCurrent(); ran <- true })

	n, err := o.ProcessEvents()
	assert.ErrorIs(t, err, ErrWrongLoop)
	assert.Zero(t, n)
	_, err = o.WaitForEvents(context.Background())
	assert.ErrorIs(t, err, ErrWrongLoop)

	<-ran
	assert.True(t, onLoop, "the loop ran the event")

	// On the loop itself both are allowed.
	require.NoError(t, l.Invoke(func() {
		_, err = o.ProcessEvents()
	}))
	assert.NoError(t, err)
}

// A loop that is not running has no owner: its object's events are still
// not the caller's to run (Loop.ProcessEvents is the way to pump it).
func TestStoppedLoopObjectIsRefused(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	o := newObj(t, WithLoop(l))
	ran := false
	o.PostEvent(func() { ran = true })
	_, err := o.ProcessEvents()
	assert.ErrorIs(t, err, ErrWrongLoop)
	assert.False(t, ran)
	l.ProcessEvents()
	assert.True(t, ran, "the loop's ProcessEvents pumps the object's events")
}

// Destroying an object wakes a goroutine blocked in its WaitForEvents.
func TestWaitForEventsWokenByDestroy(t *testing.T) {
	o := newObj(t)
	errc := make(chan error, 1)
	started := make(chan struct{})
	go func() {
		close(started)
		_, err := o.WaitForEvents(context.Background())
		errc <- err
	}()
	<-started
	o.Destroy()
	assert.ErrorIs(t, <-errc, ErrDestroyed)
}

// A typed nil receiver is refused with a clear error, as an untyped nil is,
// instead of panicking inside Connect (issue 6, item 10).
func TestConnectToTypedNilObject(t *testing.T) {
	var s signal.Signal0
	var none *Object
	_, err := s.Connect(func() {}, signal.To(none))
	assert.ErrorIs(t, err, signal.ErrInvalidOption)
	_, err = s.Connect(func() {}, signal.To(nil))
	assert.ErrorIs(t, err, signal.ErrInvalidOption)
}

// CheckLoop and Invoke are the context rule that sockets and servers start
// their methods with: refused from a foreign goroutine, allowed on the loop,
// any goroutine's in blocking mode, refused for good once destroyed.
func TestObjectCheckLoopAndInvoke(t *testing.T) {
	l := NewLoop(WithName("owner"))
	require.NoError(t, l.Start())
	defer l.Close()
	o := newObj(t, WithLoop(l))

	assert.ErrorIs(t, o.CheckLoop(), ErrWrongLoop)
	var inside error
	var onLoop bool
	require.NoError(t, o.Invoke(func() { inside = o.CheckLoop(); onLoop = l.IsCurrent() }))
	assert.NoError(t, inside, "Invoke runs fn where the object may be used")
	assert.True(t, onLoop)

	// Invoke from the loop itself runs at once instead of waiting for itself.
	var nested bool
	require.NoError(t, l.Invoke(func() {
		_ = o.Invoke(func() { nested = true })
	}))
	assert.True(t, nested)

	free := newObj(t)
	assert.NoError(t, free.CheckLoop(), "an object without a loop belongs to its caller")
	ran := false
	require.NoError(t, free.Invoke(func() { ran = true }))
	assert.True(t, ran)

	free.Destroy()
	assert.ErrorIs(t, free.CheckLoop(), ErrDestroyed)

	l.Close()
	assert.ErrorIs(t, o.Invoke(func() {}), ErrLoopClosed)
}
