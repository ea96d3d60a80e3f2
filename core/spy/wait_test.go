package spy_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/spy"
	"github.com/slotnet/slotnet/signal"
)

// startLoop starts a loop, closed at the end of the test.
func startLoop(t *testing.T, name string) *core.Loop {
	t.Helper()
	l := core.NewLoop(core.WithName(name))
	require.NoError(t, l.Start())
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

// A repeating core.Timer on a started loop: Wait wakes on the loop's
// records, each of which shows the timer's loop.
func TestWaitForTimerOnAnotherLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		loop := startLoop(t, "timers")
		tm, err := core.NewTimer(core.WithLoop(loop), core.WithInterval(10*time.Millisecond))
		require.NoError(t, err)
		r := spy.New()
		require.NoError(t, spy.On0(r, "timeout", &tm.Timeout))
		start := time.Now()
		require.NoError(t, loop.Invoke(func() { require.NoError(t, tm.Start()) }))

		require.NoError(t, r.Wait(t.Context(), "timeout", 3))
		tm.Stop()
		ev := r.Events()
		require.GreaterOrEqual(t, len(ev), 3)
		for i, e := range ev[:3] {
			assert.Same(t, loop, e.Loop)
			assert.Equal(t, time.Duration(i+1)*10*time.Millisecond, e.Time.Sub(start))
		}
		spy.AssertSequence(t, r, "timeout", "timeout", "timeout")
	})
}

// The record shows the loop the spy's slot ran on: the emitter's for the
// default Direct connection, the receiver's for a queued one.
func TestRecordsTheLoop(t *testing.T) {
	a, b := startLoop(t, "a"), startLoop(t, "b")
	objA, err := core.NewObject(core.WithLoop(a), core.WithName("objA"))
	require.NoError(t, err)
	objB, err := core.NewObject(core.WithLoop(b))
	require.NoError(t, err)

	r := spy.New()
	require.NoError(t, spy.On(r, "direct", &objA.ObjectNameChanged))
	require.NoError(t, spy.On(r, "queued", &objA.ObjectNameChanged, signal.Queued, signal.To(objB)))
	require.NoError(t, spy.On(r, "auto", &objA.ObjectNameChanged, signal.Auto, signal.To(objB)))
	require.NoError(t, a.Invoke(func() { objA.SetObjectName("renamed") }))
	require.NoError(t, r.Wait(t.Context(), "", 3))

	byName := map[string]*core.Loop{}
	for _, e := range r.Events() {
		byName[e.Name] = e.Loop
		assert.Equal(t, "renamed", e.Arg)
	}
	assert.Same(t, a, byName["direct"])
	assert.Same(t, b, byName["queued"])
	assert.Same(t, b, byName["auto"], "Auto queues to another loop's receiver")

	objA.SetObjectName("from the test")
	require.NoError(t, r.Wait(t.Context(), "queued", 2))
	last := r.Events()
	for _, e := range last[3:] {
		if e.Name == "direct" {
			assert.Nil(t, e.Loop, "a Direct slot runs on the emitting goroutine, here on no loop")
		}
	}
}

// The emitter is an object without a loop: its events run only while the
// test goroutine waits on it, so WaitOn is the way.
func TestWaitOnLooplessObject(t *testing.T) {
	obj, err := core.NewObject()
	require.NoError(t, err)
	defer obj.Destroy()
	var data signal.Signal[int]
	data.Bind(obj.SignalHost())
	r := spy.New()
	require.NoError(t, spy.On(r, "data", &data))

	// A background goroutine, like a socket's reader, hands results to the
	// object as internal events.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 3 {
			obj.PostEvent(func() { data.Emit(i) })
		}
	}()
	require.NoError(t, r.WaitOn(t.Context(), obj, "data", 3))
	<-done
	assert.Equal(t, []any{0, 1, 2}, r.Args("data"))
	for _, e := range r.Events() {
		assert.Nil(t, e.Loop, "blocking mode: no loop")
	}
}

func TestWaitOnObjectOnALoop(t *testing.T) {
	loop := startLoop(t, "l")
	obj, err := core.NewObject(core.WithLoop(loop))
	require.NoError(t, err)
	r := spy.New()
	require.NoError(t, spy.On(r, "name", &obj.ObjectNameChanged))
	obj.PostEvent(func() { obj.SetObjectName("x") })
	require.NoError(t, r.WaitOn(t.Context(), obj, "name", 1))
	assert.Same(t, loop, r.Events()[0].Loop)
}

func TestWaitOnErrors(t *testing.T) {
	r := spy.New()
	assert.ErrorIs(t, r.WaitOn(t.Context(), nil, "x", 1), spy.ErrNilObject)

	obj, err := core.NewObject()
	require.NoError(t, err)
	obj.Destroy()
	err = r.WaitOn(t.Context(), obj, "x", 1)
	assert.ErrorIs(t, err, core.ErrDestroyed)
	assert.ErrorContains(t, err, `waiting for 1 of "x", got 0`)
}

// Under synctest a timeout takes no real time, for Wait and for WaitOn.
func TestTimeoutIsInstantUnderSynctest(t *testing.T) {
	realStart := time.Now()
	synctest.Test(t, func(t *testing.T) {
		r := spy.New()
		start := time.Now()
		assert.False(t, r.WaitTimeout("never", 1, time.Hour))
		assert.Equal(t, time.Hour, time.Since(start))

		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		err := r.Wait(ctx, "", 2)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorContains(t, err, "waiting for 2 of any signal, got 0")

		obj, err := core.NewObject()
		require.NoError(t, err)
		ctx2, cancel2 := context.WithTimeout(t.Context(), time.Minute)
		defer cancel2()
		assert.ErrorIs(t, r.WaitOn(ctx2, obj, "never", 1), context.DeadlineExceeded)

		// A plain Wait cannot run a loop-less object's events: it times out.
		var s signal.Signal0
		s.Bind(obj.SignalHost())
		require.NoError(t, spy.On0(r, "s", &s))
		obj.PostEvent(s.Emit)
		assert.False(t, r.WaitTimeout("s", 1, time.Second))
		ctx3, cancel3 := context.WithTimeout(t.Context(), time.Second)
		defer cancel3()
		assert.NoError(t, r.WaitOn(ctx3, obj, "s", 1))
	})
	assert.Less(t, time.Since(realStart), 10*time.Second, "virtual hours took real time")
}

func TestWaitCountsWhatIsThere(t *testing.T) {
	var s signal.Signal0
	r := spy.New()
	require.NoError(t, spy.On0(r, "s", &s))
	s.Emit()
	assert.True(t, r.WaitTimeout("s", 1, 0), "already recorded")
	assert.True(t, r.WaitTimeout("s", 0, 0))
	r.Clear()
	assert.False(t, r.WaitTimeout("s", 1, 0), "cleared")
}

// Several goroutines wait at once; one record wakes them all.
func TestManyWaiters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var s signal.Signal[int]
		r := spy.New()
		require.NoError(t, spy.On(r, "s", &s))
		errs := make(chan error, 4)
		for n := range 4 {
			go func() { errs <- r.Wait(t.Context(), "s", n+1) }()
		}
		synctest.Wait()
		for i := range 4 {
			s.Emit(i)
		}
		for range 4 {
			assert.NoError(t, <-errs)
		}
	})
}

// A Wait that times out inside a synctest bubble leaves nothing of the
// bubble behind: the Recorder keeps working outside it.
func TestRecorderOutlivesBubble(t *testing.T) {
	var s signal.Signal0
	r := spy.New()
	require.NoError(t, spy.On0(r, "s", &s))
	synctest.Test(t, func(t *testing.T) {
		assert.False(t, r.WaitTimeout("s", 1, time.Second))
	})
	s.Emit() // would panic closing a channel of the ended bubble
	assert.True(t, r.WaitTimeout("s", 1, 0))
}
