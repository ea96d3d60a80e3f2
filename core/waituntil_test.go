package core

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

func runningLoop(t *testing.T) *Loop {
	t.Helper()
	l := NewLoop(WithName("waited"), WithLogger(zap.NewNop()))
	require.NoError(t, l.Start())
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// A foreign goroutine waits for state that only the loop touches: cond runs
// on the loop, so the race detector sees no race on n.
func TestWaitUntilFromForeignGoroutine(t *testing.T) {
	l := runningLoop(t)
	o := newObj(t, WithLoop(l))
	n := 0
	for range 5 {
		require.NoError(t, l.Post(func() { n++ }))
	}
	var onLoop bool
	err := o.WaitUntil(context.Background(), func() bool {
		onLoop = l.IsCurrent()
		return n == 5
	})
	require.NoError(t, err)
	assert.True(t, onLoop, "cond is evaluated on the object's loop")
	require.NoError(t, l.Invoke(func() { assert.Equal(t, 5, n) }))
}

func TestWaitUntilTimesOutUnderSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLoop(WithLogger(zap.NewNop()))
		require.NoError(t, l.Start())
		defer l.Close()
		o, err := NewObject(WithLoop(l))
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		start := time.Now()
		err = o.WaitUntil(ctx, func() bool { return false })
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Hour, time.Since(start), "virtual time, exactly the timeout")
	})
}

func TestWaitUntilEndsWithObjectAndLoop(t *testing.T) {
	l := runningLoop(t)
	o := newObj(t, WithLoop(l))
	o.DeleteLater()
	assert.ErrorIs(t, o.WaitUntil(context.Background(), func() bool { return false }), ErrDestroyed)

	l2 := runningLoop(t)
	o2 := newObj(t, WithLoop(l2))
	errc := make(chan error, 1)
	go func() { errc <- o2.WaitUntil(context.Background(), func() bool { return false }) }()
	require.NoError(t, l2.Close())
	assert.ErrorIs(t, <-errc, ErrLoopClosed)
	assert.ErrorIs(t, o2.WaitUntil(context.Background(), func() bool { return true }), ErrLoopClosed)
}

func TestWaitUntilBlockingModeRunsInternalEvents(t *testing.T) {
	o := newObj(t)
	got := ""
	go o.PostEvent(func() { got = "data" })
	require.NoError(t, o.WaitUntil(context.Background(), func() bool { return got != "" }))
	assert.Equal(t, "data", got)
}

func TestWaitUntilPanickingCond(t *testing.T) {
	l := runningLoop(t)
	o := newObj(t, WithLoop(l))
	err := o.WaitUntil(context.Background(), func() bool { panic("bad cond") })
	assert.ErrorIs(t, err, ErrInvokePanicked)
	// The loop survived.
	require.NoError(t, l.Invoke(func() {}))
	assert.ErrorIs(t, o.WaitUntil(context.Background(), nil), ErrNilFunc)
}
