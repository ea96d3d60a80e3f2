package core

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// startLoop starts a loop and closes it at the end of the test.
func startLoop(t *testing.T, opts ...LoopOption) *Loop {
	t.Helper()
	l := NewLoop(opts...)
	require.NoError(t, l.Start())
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

func TestLoopRunsPostsInOrder(t *testing.T) {
	l := startLoop(t)
	var got []int
	for i := range 100 {
		require.NoError(t, l.Post(func() { got = append(got, i) }))
	}
	require.NoError(t, l.Invoke(func() {}))
	require.Len(t, got, 100)
	for i, v := range got {
		require.Equal(t, i, v)
	}
	assert.True(t, l.IsRunning())
}

func TestLoopPostErrors(t *testing.T) {
	l := NewLoop()
	assert.ErrorIs(t, l.Post(nil), ErrNilFunc)
	require.NoError(t, l.Close())
	require.NoError(t, l.Close(), "Close is idempotent")
	assert.ErrorIs(t, l.Post(func() {}), ErrLoopClosed)
	assert.ErrorIs(t, l.Start(), ErrLoopClosed)
	_, err := l.Run(context.Background())
	assert.ErrorIs(t, err, ErrLoopClosed)
	assert.ErrorIs(t, l.Invoke(func() {}), ErrLoopClosed)
	assert.Zero(t, l.ProcessEvents())
}

func TestLoopExitCode(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	require.NoError(t, l.Post(func() { l.Exit(3) }))
	ran := false
	require.NoError(t, l.Post(func() { ran = true })) // same batch: still runs
	code, err := l.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 3, code)
	assert.True(t, ran)
	assert.False(t, l.IsRunning())

	// A quit requested before Run makes it return at once.
	l.Quit()
	code, err = l.Run(context.Background())
	require.NoError(t, err)
	assert.Zero(t, code)
}

func TestLoopExitLeavesLaterEventsQueued(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	second := false
	require.NoError(t, l.Post(func() {
		l.Quit()
		require.NoError(t, l.Post(func() { second = true }))
	}))
	_, err := l.Run(context.Background())
	require.NoError(t, err)
	assert.False(t, second, "posted after quit: waits for the next run")
	assert.Equal(t, 1, l.ProcessEvents())
	assert.True(t, second)
}

func TestLoopRunContext(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(t, l.Post(cancel))
	_, err := l.Run(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestLoopRunTwice(t *testing.T) {
	l := startLoop(t)
	_, err := l.Run(context.Background())
	assert.ErrorIs(t, err, ErrLoopRunning)
	assert.ErrorIs(t, l.Start(), ErrLoopRunning)
}

func TestLoopRestartAfterQuit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := startLoop(t)
		require.NoError(t, l.Invoke(l.Quit))
		synctest.Wait()
		require.False(t, l.IsRunning())
		require.NoError(t, l.Start())
		require.NoError(t, l.Invoke(func() {}))
	})
}

func TestLoopCloseJoinsRun(t *testing.T) {
	l := NewLoop()
	errc := make(chan error, 1)
	started := make(chan struct{})
	require.NoError(t, l.Post(func() { close(started) }))
	go func() {
		_, err := l.Run(context.Background())
		errc <- err
	}()
	<-started
	require.NoError(t, l.Close())
	assert.False(t, l.IsRunning(), "Close waited for Run to finish")
	assert.ErrorIs(t, <-errc, ErrLoopClosed)
}

func TestLoopCloseFromInsideEvent(t *testing.T) {
	l := NewLoop()
	after := false
	require.NoError(t, l.Post(func() { require.NoError(t, l.Close()) }))
	require.NoError(t, l.Post(func() { after = true }))
	_, err := l.Run(context.Background())
	assert.ErrorIs(t, err, ErrLoopClosed)
	assert.True(t, after, "the batch under way completes")
	require.NoError(t, l.Close())
}

func TestInvokeFromOwnLoopRunsDirectly(t *testing.T) {
	l := startLoop(t)
	var order []string
	require.NoError(t, l.Invoke(func() {
		order = append(order, "outer")
		require.NoError(t, l.Invoke(func() { order = append(order, "inner") }))
		order = append(order, "after")
	}))
	assert.Equal(t, []string{"outer", "inner", "after"}, order)
}

func TestInvokeFromProcessEvents(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	inner := false
	require.NoError(t, l.Post(func() {
		require.NoError(t, l.Invoke(func() { inner = true }))
		assert.Zero(t, l.ProcessEvents(), "a loop does not nest")
		_, err := l.Run(context.Background())
		assert.ErrorIs(t, err, ErrLoopRunning)
	}))
	assert.Equal(t, 1, l.ProcessEvents())
	assert.True(t, inner)
}

func TestInvokeWaitsForIdleLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLoop()
		defer l.Close()
		done := make(chan error, 1)
		ran := false
		go func() { done <- l.Invoke(func() { ran = true }) }()
		synctest.Wait()
		require.Equal(t, 1, l.Dispatcher().Pending())
		assert.Equal(t, 1, l.ProcessEvents())
		require.NoError(t, <-done)
		assert.True(t, ran)
	})
}

func TestInvokeContextCancelledBeforeRun(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := l.InvokeContext(ctx, func() { ran = true })
	assert.ErrorIs(t, err, context.Canceled)
	l.ProcessEvents()
	assert.False(t, ran, "a cancelled invoke never runs")
	assert.ErrorIs(t, l.InvokeContext(ctx, nil), ErrNilFunc)
}

func TestInvokeAbandonedByClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLoop()
		done := make(chan error, 1)
		go func() { done <- l.Invoke(func() {}) }()
		synctest.Wait()
		require.Equal(t, 1, l.Dispatcher().Pending())
		require.NoError(t, l.Close())
		assert.ErrorIs(t, <-done, ErrLoopClosed)
	})
}

func observed(level zapcore.Level) (*zap.Logger, *observer.ObservedLogs) {
	core, logs := observer.New(level)
	return zap.New(core), logs
}

func panicky() { panic("boom") }

func TestLoopRecoversAndLogsPanics(t *testing.T) {
	log, logs := observed(zap.ErrorLevel)
	l := startLoop(t, WithLogger(log), WithName("worker"))
	require.NoError(t, l.Post(panicky))
	after := false
	require.NoError(t, l.Post(func() { after = true }))
	assert.ErrorIs(t, l.Invoke(panicky), ErrInvokePanicked)
	require.NoError(t, l.Invoke(func() {}))
	assert.True(t, after, "the loop kept running")

	entries := logs.All()
	require.Len(t, entries, 2)
	e := entries[0]
	assert.Equal(t, zap.ErrorLevel, e.Level)
	fields := e.ContextMap()
	assert.Equal(t, "worker", fields["loop"])
	assert.Equal(t, "boom", fields["panic"])
	stack, ok := fields["stack"].(string)
	require.True(t, ok, "a stack field")
	assert.Contains(t, stack, "core.panicky", "the stack shows where it panicked")
}

func TestLoopRepanic(t *testing.T) {
	l := NewLoop(WithRepanic())
	defer l.Close()
	require.NoError(t, l.Post(panicky))
	next := false
	require.NoError(t, l.Post(func() { next = true }))
	assert.PanicsWithValue(t, "boom", func() { l.ProcessEvents() })
	assert.False(t, next)
	assert.Equal(t, 1, l.ProcessEvents(), "the rest stayed queued; the loop is usable")
	assert.True(t, next)

	_, err := runRecover(l)
	assert.NoError(t, err)
}

// runRecover runs l (which quits at once) and reports a panic as an error.
func runRecover(l *Loop) (code int, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = errors.New("panicked")
		}
	}()
	l.Quit()
	return l.Run(context.Background())
}

func TestLoopRepanicOutOfRun(t *testing.T) {
	l := NewLoop(WithRepanic())
	defer l.Close()
	require.NoError(t, l.Post(panicky))
	_, err := runRecover(l)
	require.Error(t, err)
	assert.False(t, l.IsRunning(), "Run cleaned up")
	_, err = runRecover(l)
	assert.NoError(t, err, "and can run again")
}

func TestLoopConcurrentPosters(t *testing.T) {
	l := startLoop(t)
	var mu sync.Mutex
	count := 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				_ = l.Post(func() { mu.Lock(); count++; mu.Unlock() })
			}
		})
	}
	wg.Wait()
	require.NoError(t, l.Invoke(func() {}))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1600, count)
}

func TestLoopString(t *testing.T) {
	assert.Equal(t, "loop", NewLoop().String())
	l := NewLoop(WithName("net"))
	assert.Equal(t, "net", l.String())
	assert.Equal(t, "net", l.Name())
	assert.True(t, strings.HasPrefix(l.String(), "net"))
}

func TestGoid(t *testing.T) {
	a := goid()
	require.Positive(t, a)
	b := make(chan int64)
	go func() { b <- goid() }()
	assert.NotEqual(t, a, <-b)
	assert.Equal(t, a, goid())
}

func TestInvokeContextWaitsForAStartedCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := startLoop(t)
		ctx, cancel := context.WithCancel(context.Background())
		started, release := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		finished := false
		go func() {
			done <- l.InvokeContext(ctx, func() {
				close(started)
				<-release
				finished = true
			})
		}()
		<-started
		cancel()
		synctest.Wait() // everyone is blocked: InvokeContext still waits
		select {
		case <-done:
			t.Fatal("returned while fn was running")
		default:
		}
		close(release)
		require.NoError(t, <-done, "nil: fn ran")
		assert.True(t, finished)
	})
}

func TestLoopCloseStopsForGood(t *testing.T) {
	l := NewLoop()
	require.NoError(t, l.Start())
	require.NoError(t, l.Close())
	assert.True(t, l.IsClosed())
	assert.False(t, l.IsRunning())
	assert.ErrorIs(t, l.Start(), ErrLoopClosed)
}
