package core

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A million notifications from another goroutine to a loop-less object
// queue at most one event; processing it calls the slot once.
func TestNotifierCoalesces(t *testing.T) {
	o := newObj(t)
	calls := 0
	n := o.NewNotifier(func() { calls++ })
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 1_000_000 {
			n.Notify()
		}
	}()
	<-done
	assert.LessOrEqual(t, o.events.pending(), 1)
	assert.True(t, n.Pending())
	assert.Equal(t, 1, processed(t, o))
	assert.Equal(t, 1, calls)
	assert.False(t, n.Pending())
	assert.Zero(t, processed(t, o))
}

// A Notify made while the notification runs is not lost.
func TestNotifierDuringDelivery(t *testing.T) {
	o := newObj(t)
	calls := 0
	var n *Notifier
	n = o.NewNotifier(func() {
		calls++
		if calls == 1 {
			n.Notify() // more data arrived while the slot ran
		}
	})
	n.Notify()
	assert.Equal(t, 1, processed(t, o))
	assert.Equal(t, 1, calls)
	assert.Equal(t, 1, processed(t, o), "the Notify made during delivery queued a new event")
	assert.Equal(t, 2, calls)
}

func TestNotifierOnLoop(t *testing.T) {
	l := runningLoop(t)
	o := newObj(t, WithLoop(l))
	calls := 0
	n := o.NewNotifier(func() { calls++ })
	for range 1000 {
		n.Notify()
	}
	require.NoError(t, o.WaitUntil(context.Background(), func() bool { return !n.Pending() }))
	require.NoError(t, l.Invoke(func() {
		assert.GreaterOrEqual(t, calls, 1)
		assert.LessOrEqual(t, calls, 1000)
	}))
}

// Posting a notification allocates nothing on the steady path.
func TestNotifierAllocatesNothing(t *testing.T) {
	o := newObj(t)
	n := o.NewNotifier(func() {})
	n.Notify()
	_, _ = o.ProcessEvents() // warm the queue's backing array
	allocs := testing.AllocsPerRun(1000, func() {
		n.Notify()
		n.Notify()
		_, _ = o.ProcessEvents()
	})
	assert.Zero(t, allocs)
	assert.Nil(t, o.NewNotifier(nil))
	var none *Notifier
	none.Notify() // no panic
	assert.False(t, none.Pending())
}
