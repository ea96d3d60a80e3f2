package core

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ticks records, on the loop, when a timer fired (as time since start).
type ticks struct {
	mu    sync.Mutex // guards at
	start time.Time
	at    []time.Duration
}

func newTicks() *ticks { return &ticks{start: time.Now()} }

func (k *ticks) tick() {
	k.mu.Lock()
	k.at = append(k.at, time.Since(k.start))
	k.mu.Unlock()
}

func (k *ticks) reset() {
	k.mu.Lock()
	k.start, k.at = time.Now(), nil
	k.mu.Unlock()
}

func (k *ticks) get() []time.Duration {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]time.Duration(nil), k.at...)
}

// bubbleLoop starts a loop inside a synctest bubble and a timer on it
// whose Timeout records into the returned ticks.
func bubbleTimer(t *testing.T, opts ...TimerOption) (*Loop, *Timer, *ticks) {
	t.Helper()
	l := NewLoop()
	require.NoError(t, l.Start())
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	tm, err := NewTimer(append([]TimerOption{WithLoop(l)}, opts...)...)
	require.NoError(t, err)
	k := newTicks()
	_, err = tm.Timeout.Connect(k.tick)
	require.NoError(t, err)
	return l, tm, k
}

func ms(n ...int) []time.Duration {
	out := make([]time.Duration, len(n))
	for i, v := range n {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func TestTimerIntervalAccuracy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, tm, k := bubbleTimer(t, WithInterval(100*time.Millisecond))
		require.NoError(t, tm.Start())
		assert.True(t, tm.IsActive())
		time.Sleep(550 * time.Millisecond)
		synctest.Wait()
		assert.Equal(t, ms(100, 200, 300, 400, 500), k.get())
		assert.Equal(t, 50*time.Millisecond, tm.RemainingTime())
		tm.Stop()
	})
}

func TestTimerSingleShotFiresOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, tm, k := bubbleTimer(t, WithSingleShot())
		assert.True(t, tm.IsSingleShot())
		require.NoError(t, tm.StartInterval(30*time.Millisecond))
		time.Sleep(time.Second)
		synctest.Wait()
		assert.Equal(t, ms(30), k.get())
		assert.False(t, tm.IsActive())
		assert.Equal(t, time.Duration(-1), tm.RemainingTime())
	})
}

func TestTimerStopPreventsFiring(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, tm, k := bubbleTimer(t, WithInterval(100*time.Millisecond))
		require.NoError(t, tm.Start())
		time.Sleep(99 * time.Millisecond)
		tm.Stop()
		assert.False(t, tm.IsActive())
		time.Sleep(time.Second)
		synctest.Wait()
		assert.Empty(t, k.get())
	})
}

func TestTimerRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, tm, k := bubbleTimer(t, WithSingleShot(), WithInterval(100*time.Millisecond))
		require.NoError(t, tm.Start())
		time.Sleep(60 * time.Millisecond)
		assert.Equal(t, 40*time.Millisecond, tm.RemainingTime())
		require.NoError(t, tm.Start()) // restart: 100ms from now
		assert.Equal(t, 100*time.Millisecond, tm.RemainingTime())
		time.Sleep(time.Second)
		synctest.Wait()
		assert.Equal(t, ms(160), k.get())

		// SetInterval restarts an active timer with the new interval.
		k.reset()
		require.NoError(t, tm.Start())
		time.Sleep(50 * time.Millisecond)
		require.NoError(t, tm.SetInterval(20*time.Millisecond))
		assert.Equal(t, 20*time.Millisecond, tm.Interval())
		time.Sleep(time.Second)
		synctest.Wait()
		assert.Equal(t, ms(70), k.get())
	})
}

func TestTimerHourCostsNoWallTime(t *testing.T) {
	wall := time.Now()
	synctest.Test(t, func(t *testing.T) {
		_, tm, k := bubbleTimer(t, WithSingleShot())
		require.NoError(t, tm.StartInterval(time.Hour))
		time.Sleep(time.Hour + time.Second)
		synctest.Wait()
		assert.Equal(t, []time.Duration{time.Hour}, k.get())
	})
	assert.Less(t, time.Since(wall), 5*time.Second)
}

func TestTimerSlotRestartsItself(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, tm, k := bubbleTimer(t, WithSingleShot(), WithInterval(10*time.Millisecond))
		_, err := tm.Timeout.Connect(func() {
			if len(k.get()) < 3 {
				require.NoError(t, tm.Start())
			}
		})
		require.NoError(t, err)
		require.NoError(t, tm.Start())
		time.Sleep(time.Second)
		synctest.Wait()
		assert.Equal(t, ms(10, 20, 30), k.get())
	})
}

func TestTimerZeroIntervalDoesNotStarveEvents(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	tm, err := NewTimer(WithLoop(l))
	require.NoError(t, err)
	n := 0
	_, err = tm.Timeout.Connect(func() { n++ })
	require.NoError(t, err)
	require.NoError(t, tm.Start())
	posted := false
	require.NoError(t, l.Post(func() { posted = true }))
	l.ProcessEvents()
	assert.Equal(t, 1, n, "a zero timer fires once per round")
	assert.True(t, posted)
	l.ProcessEvents()
	assert.Equal(t, 2, n)
}

func TestTimerErrors(t *testing.T) {
	_, err := NewTimer(WithInterval(-1))
	assert.ErrorIs(t, err, ErrNegativeInterval)
	tm, err := NewTimer()
	require.NoError(t, err)
	assert.ErrorIs(t, tm.Start(), ErrNoLoop)
	assert.ErrorIs(t, tm.StartInterval(-time.Second), ErrNegativeInterval)
	assert.ErrorIs(t, tm.SetInterval(-time.Second), ErrNegativeInterval)

	l := NewLoop()
	require.NoError(t, tm.MoveToLoop(l))
	require.NoError(t, tm.StartInterval(time.Hour))
	require.NoError(t, l.Close())
	assert.False(t, tm.IsActive(), "closing the loop stops its timers")
	assert.ErrorIs(t, tm.Start(), ErrLoopClosed)
	tm.Destroy()
	assert.ErrorIs(t, tm.Start(), ErrDestroyed)
}

func TestTimerStopsWithParent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLoop()
		require.NoError(t, l.Start())
		defer l.Close()
		parent, err := NewObject(WithLoop(l))
		require.NoError(t, err)
		tm, err := NewTimer(WithParent(parent), WithInterval(10*time.Millisecond))
		require.NoError(t, err)
		fired := 0
		_, err = tm.Timeout.Connect(func() { fired++ })
		require.NoError(t, err)
		require.NoError(t, tm.Start())
		time.Sleep(25 * time.Millisecond)
		require.NoError(t, l.Invoke(parent.Destroy))
		assert.False(t, tm.IsActive())
		time.Sleep(time.Second)
		synctest.Wait()
		require.NoError(t, l.Invoke(func() { assert.Equal(t, 2, fired) }))
	})
}

func TestTimerMovesWithItsObject(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l1, l2 := NewLoop(WithName("l1")), NewLoop(WithName("l2"))
		require.NoError(t, l1.Start())
		require.NoError(t, l2.Start())
		defer l1.Close()
		defer l2.Close()
		root, err := NewObject(WithLoop(l1))
		require.NoError(t, err)
		tm, err := NewTimer(WithParent(root), WithSingleShot(), WithInterval(100*time.Millisecond))
		require.NoError(t, err)
		var mu sync.Mutex
		var where []string
		_, err = tm.Timeout.Connect(func() {
			mu.Lock()
			defer mu.Unlock()
			where = append(where, whichLoop(l1, l2))
		})
		require.NoError(t, err)
		require.NoError(t, tm.Start())
		time.Sleep(40 * time.Millisecond)
		require.NoError(t, root.MoveToLoop(l2))
		assert.Same(t, l2, tm.Loop())
		assert.Equal(t, 60*time.Millisecond, tm.RemainingTime())
		time.Sleep(time.Second)
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		assert.Equal(t, []string{"l2"}, where)
	})
}

// whichLoop names the loop whose goroutine calls it.
func whichLoop(loops ...*Loop) string {
	for _, l := range loops {
		if l.onLoop() {
			return l.Name()
		}
	}
	return "none"
}

func TestSingleShotHelpers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLoop()
		require.NoError(t, l.Start())
		defer l.Close()
		k := newTicks()
		require.NoError(t, SingleShot(l, 50*time.Millisecond, k.tick))

		alive, err := NewObject(WithLoop(l))
		require.NoError(t, err)
		doomed, err := NewObject(WithLoop(l))
		require.NoError(t, err)
		require.NoError(t, SingleShotTo(alive, 70*time.Millisecond, k.tick))
		require.NoError(t, SingleShotTo(doomed, 80*time.Millisecond, k.tick))
		time.Sleep(75 * time.Millisecond)
		require.NoError(t, l.Invoke(doomed.Destroy))
		time.Sleep(time.Second)
		synctest.Wait()
		assert.Equal(t, ms(50, 70), k.get())
		assert.False(t, alive.Destroyed.IsConnected(), "the cancel hook left with its timer")
	})
}

func TestSingleShotErrors(t *testing.T) {
	assert.ErrorIs(t, SingleShot(nil, 0, func() {}), ErrNoLoop)
	l := NewLoop()
	defer l.Close()
	assert.ErrorIs(t, SingleShot(l, 0, nil), ErrNilFunc)
	assert.ErrorIs(t, SingleShot(l, -1, func() {}), ErrNegativeInterval)
	noLoop, err := NewObject()
	require.NoError(t, err)
	assert.ErrorIs(t, SingleShotTo(noLoop, 0, func() {}), ErrNoLoop)
	assert.ErrorIs(t, SingleShotTo(nil, 0, func() {}), ErrNoLoop)
	noLoop.Destroy()
	assert.ErrorIs(t, SingleShotTo(noLoop, 0, func() {}), ErrDestroyed)
}

func TestTimerPanicIsRecovered(t *testing.T) {
	log, logs := observed(0)
	l := NewLoop(WithLogger(log))
	defer l.Close()
	tm, err := NewTimer(WithLoop(l), WithSingleShot())
	require.NoError(t, err)
	_, err = tm.Timeout.Connect(panicky)
	require.NoError(t, err)
	require.NoError(t, tm.Start())
	assert.Equal(t, 1, l.ProcessEvents())
	assert.Equal(t, 1, logs.FilterMessageSnippet("panic").Len())
}

func TestClosedLoopKeepsNoTimers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLoop()
		require.NoError(t, l.Start())
		tm, err := NewTimer(WithLoop(l), WithInterval(10*time.Millisecond))
		require.NoError(t, err)
		fired := 0
		_, err = tm.Timeout.Connect(func() { fired++ })
		require.NoError(t, err)
		require.NoError(t, tm.Start())
		require.NoError(t, SingleShot(l, time.Hour, func() { fired += 100 }))
		time.Sleep(35 * time.Millisecond)
		require.NoError(t, l.Close())
		assert.False(t, tm.IsActive())
		assert.Zero(t, l.timers.queued.Load())
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		assert.Equal(t, 3, fired)
		assert.False(t, l.IsCurrent())
	})
}

func TestTimerSetSingleShot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, tm, k := bubbleTimer(t, WithInterval(10*time.Millisecond))
		assert.False(t, tm.IsSingleShot())
		tm.SetSingleShot(true)
		require.NoError(t, tm.Start())
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		assert.Equal(t, ms(10), k.get())
	})
}
