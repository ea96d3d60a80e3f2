package core

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/signal"
)

// Issue 6 item 10 regression tests: shutdown and moves never hang or
// strand, and nothing piles up on a closed loop.

// A BlockingQueued emission to an object whose loop is closed returns at
// once (the slot does not run) and is logged; an emitter already waiting
// when the loop closes is released.
func TestBlockingQueuedToClosedLoop(t *testing.T) {
	log, logs := observed(zap.ErrorLevel)
	l := NewLoop(WithLogger(log)) // never started: the emitter waits
	recv := newObj(t, WithLoop(l))
	var s signal.Signal[int]
	_, err := s.Connect(func(int) { t.Error("slot ran on a closed loop") },
		signal.BlockingQueued, signal.To(recv))
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() { s.Emit(1) })
	for l.Dispatcher().Pending() == 0 {
		runtime.Gosched()
	}
	require.NoError(t, l.Close())
	wg.Wait() // released by Close
	s.Emit(2) // refused at once: does not hang
	assert.EqualValues(t, 2, l.Dropped())
	assert.Equal(t, 2, logs.FilterMessage("slotnet: queued calls dropped: loop closed").Len())
}

// The loop of the object is not running — never started, or quit (closed:
// TestMoveToLoopFromClosedLoop) —
// when the object moves away after one PostEvent: its events, a later
// DeleteLater and events posted after the move all run on the new loop.
func TestMoveToLoopFromIdleLoopDoesNotStrandEvents(t *testing.T) {
	for _, c := range []struct {
		name string
		idle func(t *testing.T, l *Loop)
	}{
		{"never started", func(*testing.T, *Loop) {}},
		{"quit", func(t *testing.T, l *Loop) {
			l.Quit()
			_, err := l.Run(context.Background())
			require.NoError(t, err)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l1 := NewLoop(WithLogger(zap.NewNop()))
			t.Cleanup(func() { _ = l1.Close() })
			c.idle(t, l1)
			l2 := runningLoop(t)
			o := newObj(t, WithLoop(l1))
			ran := make(chan string, 3)
			o.PostEvent(func() { ran <- "before" })
			require.NoError(t, o.MoveToLoop(l2))
			o.PostEvent(func() { ran <- "after" })
			assert.Equal(t, "before", <-ran)
			assert.Equal(t, "after", <-ran)
			destroyed := make(chan struct{})
			o.AddDestroyHook(func() { close(destroyed) })
			o.DeleteLater()
			<-destroyed
			// The stale pump still in l1's queue does nothing when l1 runs.
			assert.Equal(t, 1, l1.ProcessEvents())
		})
	}
}

func TestMoveToLoopFromClosedLoop(t *testing.T) {
	l1 := NewLoop(WithLogger(zap.NewNop()))
	o := newObj(t, WithLoop(l1))
	require.NoError(t, l1.Close())
	o.PostEvent(func() { t.Error("event ran although its loop was closed") })
	l2 := runningLoop(t)
	require.NoError(t, o.MoveToLoop(l2))
	ran := make(chan struct{})
	o.PostEvent(func() { close(ran) })
	<-ran
	destroyed := make(chan struct{})
	o.AddDestroyHook(func() { close(destroyed) })
	o.DeleteLater()
	<-destroyed
}

// Queued calls to a receiver on a closed loop do not pile up (they are
// dropped and counted, and the log stays short), and Close lets go of what
// was queued.
func TestQueuedToClosedLoopDoesNotPileUp(t *testing.T) {
	log, logs := observed(zap.ErrorLevel)
	l := NewLoop(WithLogger(log))
	recv := newObj(t, WithLoop(l))
	var s signal.Signal[*[4096]byte]
	_, err := s.Connect(func(*[4096]byte) { t.Error("slot ran on a closed loop") },
		signal.Queued, signal.To(recv))
	require.NoError(t, err)
	big := new([4096]byte)
	w := weak.Make(big)
	s.Emit(big)
	posted := new([4096]byte)
	wp := weak.Make(posted)
	require.NoError(t, l.Post(func() { _ = posted }))
	big, posted = nil, nil
	require.NoError(t, l.Close())
	runtime.GC()
	assert.Nil(t, w.Value(), "Close keeps a queued call's argument reachable")
	assert.Nil(t, wp.Value(), "Close keeps a posted closure reachable")

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 100_000
	for range n {
		s.Emit(new([4096]byte))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	assert.Less(t, int64(after.HeapAlloc)-int64(before.HeapAlloc), int64(1<<20),
		"emissions to a closed loop are kept")
	assert.EqualValues(t, n+2, l.Dropped())
	assert.LessOrEqual(t, logs.Len(), 20, "a flood of drops is logged at powers of two")
	assert.Equal(t, 0, l.Dispatcher().Pending())
}

// DeleteLater on an object whose loop is closed destroys it at once, and a
// DeleteLater still pending when the loop closes destroys it in Close.
func TestDeleteLaterOnClosedLoop(t *testing.T) {
	t.Run("after Close", func(t *testing.T) {
		l := NewLoop(WithLogger(zap.NewNop()))
		o := newObj(t, WithLoop(l))
		hook := false
		o.AddDestroyHook(func() { hook = true })
		require.NoError(t, l.Close())
		o.DeleteLater()
		assert.True(t, hook)
		assert.True(t, o.IsDestroyed())
	})
	t.Run("pending at Close", func(t *testing.T) {
		log, logs := observed(zap.ErrorLevel)
		l := NewLoop(WithLogger(log))
		o := newObj(t, WithLoop(l))
		onLoop := false
		o.AddDestroyHook(func() { onLoop = l.IsCurrent() })
		o.PostEvent(func() { t.Error("event ran although its loop was closed") })
		o.DeleteLater()
		require.NoError(t, l.Close())
		assert.True(t, o.IsDestroyed())
		assert.True(t, onLoop, "the hook runs as the loop's last event")
		assert.EqualValues(t, 1, l.Dropped(), "the other event is dropped")
		assert.Equal(t, 1, logs.Len())
	})
	t.Run("PostEvent after Close", func(t *testing.T) {
		l := NewLoop(WithLogger(zap.NewNop()))
		o := newObj(t, WithLoop(l))
		require.NoError(t, l.Close())
		o.PostEvent(func() { t.Error("event ran although its loop was closed") })
		assert.EqualValues(t, 1, l.Dropped())
		n, err := o.ProcessEvents()
		assert.ErrorIs(t, err, ErrLoopClosed)
		assert.Zero(t, n)
	})
}

// Close from inside an event lets the batch under way complete, drops what
// was posted after it began, and releases a BlockingQueued emitter.
func TestCloseFromEventDropsLaterPosts(t *testing.T) {
	l := NewLoop(WithLogger(zap.NewNop()))
	require.NoError(t, l.Post(func() {
		require.NoError(t, l.Post(func() { t.Error("posted after the batch began") }))
		require.NoError(t, l.Close())
	}))
	_, err := l.Run(context.Background())
	assert.ErrorIs(t, err, ErrLoopClosed)
	assert.EqualValues(t, 1, l.Dropped())
}
