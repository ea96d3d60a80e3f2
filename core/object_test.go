package core

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/signal"
)

func newObj(t *testing.T, opts ...ObjectOption) *Object {
	t.Helper()
	o, err := NewObject(opts...)
	require.NoError(t, err)
	return o
}

// tree builds p{a{a1}, b} on loop l (nil: blocking mode) and records the
// order of their Destroyed signals.
func tree(t *testing.T, l *Loop, log *[]string) (p, a, a1, b *Object) {
	t.Helper()
	p = newObj(t, WithLoop(l), WithName("p"))
	a = newObj(t, WithParent(p), WithName("a"))
	a1 = newObj(t, WithParent(a), WithName("a1"))
	b = newObj(t, WithParent(p), WithName("b"))
	for _, o := range []*Object{p, a, a1, b} {
		_, err := o.Destroyed.Connect(func(x *Object) {
			*log = append(*log, x.ObjectName())
		})
		require.NoError(t, err)
	}
	return p, a, a1, b
}

func TestDestroyOrderIsQt5(t *testing.T) {
	var log []string
	p, a, a1, b := tree(t, nil, &log)
	// During the parent's Destroyed the children are still there.
	_, err := p.Destroyed.Connect(func(*Object) {
		assert.Len(t, p.Children(), 2)
		assert.False(t, a.IsDestroyed())
	})
	require.NoError(t, err)
	p.Destroy()
	assert.Equal(t, []string{"p", "a", "a1", "b"}, log)
	for _, o := range []*Object{p, a, a1, b} {
		assert.True(t, o.IsDestroyed())
		assert.Nil(t, o.Parent())
		assert.Empty(t, o.Children())
	}
	p.Destroy()
	assert.Len(t, log, 4, "Destroy is idempotent")
}

func TestDestroyChildLeavesParent(t *testing.T) {
	var log []string
	p, a, _, b := tree(t, nil, &log)
	a.Destroy()
	assert.Equal(t, []string{"a", "a1"}, log)
	assert.Equal(t, []*Object{b}, p.Children())
	assert.False(t, p.IsDestroyed())
}

func TestDestroyedEmittedWhenBlocked(t *testing.T) {
	o := newObj(t)
	got := 0
	_, err := o.Destroyed.Connect(func(*Object) { got++ })
	require.NoError(t, err)
	_, err = o.ObjectNameChanged.Connect(func(string) { got += 10 })
	require.NoError(t, err)
	assert.False(t, o.BlockSignals(true))
	assert.True(t, o.SignalsBlocked())
	o.SetObjectName("x")
	assert.Zero(t, got, "blocked")
	o.Destroy()
	assert.Equal(t, 1, got, "Destroyed is emitted anyway, as in Qt 5")
	assert.False(t, o.Destroyed.IsConnected())
}

func TestDestroyKillsReceiverConnections(t *testing.T) {
	var sig signal.Signal[int]
	o := newObj(t)
	got := 0
	c, err := sig.Connect(func(v int) { got += v }, signal.To(o))
	require.NoError(t, err)
	sig.Emit(1)
	o.Destroy()
	sig.Emit(2)
	assert.Equal(t, 1, got)
	assert.False(t, c.Connected())
	_, err = sig.Connect(func(int) {}, signal.To(o))
	assert.ErrorIs(t, err, signal.ErrReceiverDestroyed)
}

func TestDestroyHooksRunFirstLastFirst(t *testing.T) {
	o := newObj(t)
	var log []string
	o.AddDestroyHook(func() { log = append(log, "base") })
	o.AddDestroyHook(func() { log = append(log, "derived") })
	o.AddDestroyHook(nil)
	_, err := o.Destroyed.Connect(func(*Object) { log = append(log, "destroyed") })
	require.NoError(t, err)
	o.Destroy()
	o.AddDestroyHook(func() { log = append(log, "late") })
	assert.Equal(t, []string{"derived", "base", "destroyed"}, log)
}

func TestObjectName(t *testing.T) {
	o := newObj(t, WithName("first"))
	assert.Equal(t, "first", o.ObjectName())
	var names []string
	_, err := o.ObjectNameChanged.Connect(func(n string) { names = append(names, n) })
	require.NoError(t, err)
	o.SetObjectName("second")
	o.SetObjectName("second")
	o.SetObjectName("")
	assert.Equal(t, []string{"second", ""}, names)
}

func TestFindChild(t *testing.T) {
	var log []string
	p, a, a1, b := tree(t, nil, &log)
	deep := newObj(t, WithParent(a1), WithName("b"))
	assert.Same(t, a1, p.FindChild("a1"))
	assert.Same(t, b, p.FindChild("b"), "direct children before grandchildren")
	assert.Same(t, deep, a.FindChild("b"))
	assert.Nil(t, p.FindChild("zz"))
	assert.Same(t, a, p.FindChild(""))
	assert.Equal(t, []*Object{a1, deep}, a.FindChildren(""))
	assert.Equal(t, []*Object{deep, b}, p.FindChildren("b"))
}

func TestSetParentErrors(t *testing.T) {
	var log []string
	p, a, a1, _ := tree(t, nil, &log)
	assert.ErrorIs(t, p.SetParent(a1), ErrParentCycle)
	assert.ErrorIs(t, p.SetParent(p), ErrParentCycle)
	l := NewLoop()
	defer l.Close()
	other := newObj(t, WithLoop(l))
	assert.ErrorIs(t, a.SetParent(other), ErrParentLoop)
	_, err := NewObject(WithLoop(l), WithParent(p))
	assert.ErrorIs(t, err, ErrParentLoop)

	require.NoError(t, a1.SetParent(p))
	assert.Len(t, p.Children(), 3)
	assert.Empty(t, a.Children())
	require.NoError(t, a1.SetParent(nil))
	assert.Nil(t, a1.Parent())
	a1.Destroy()
	assert.ErrorIs(t, a1.SetParent(p), ErrDestroyed)
	assert.ErrorIs(t, p.SetParent(a1), ErrDestroyed)
	_, err = NewObject(WithParent(a1))
	assert.ErrorIs(t, err, ErrDestroyed)
	require.NoError(t, l.Close())
	_, err = NewObject(WithLoop(l))
	assert.ErrorIs(t, err, ErrLoopClosed)
}

func TestDeleteLaterOnLoop(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	var log []string
	p, _, _, _ := tree(t, l, &log)
	p.DeleteLater()
	p.DeleteLater()
	assert.False(t, p.IsDestroyed(), "not before the loop runs")
	l.ProcessEvents()
	assert.True(t, p.IsDestroyed())
	assert.Equal(t, []string{"p", "a", "a1", "b"}, log)
}

func TestDeleteLaterBlockingMode(t *testing.T) {
	o := newObj(t)
	o.DeleteLater()
	assert.False(t, o.IsDestroyed())
	assert.Equal(t, 1, processed(t, o))
	assert.True(t, o.IsDestroyed())
	assert.Zero(t, processed(t, o))
}

func TestMoveToLoop(t *testing.T) {
	l1, l2 := NewLoop(), NewLoop()
	defer l1.Close()
	defer l2.Close()
	var log []string
	p, a, a1, _ := tree(t, l1, &log)
	assert.ErrorIs(t, a.MoveToLoop(l2), ErrHasParent)

	var sig signal.Signal[int]
	got := 0
	_, err := sig.Connect(func(v int) { got += v }, signal.To(a1), signal.Queued)
	require.NoError(t, err)
	require.NoError(t, p.MoveToLoop(l2))
	for _, o := range []*Object{p, a, a1} {
		assert.Same(t, l2, o.Loop())
		assert.Same(t, l2.Dispatcher(), o.SignalHost().Dispatcher())
	}
	sig.Emit(5)
	assert.Zero(t, l1.ProcessEvents())
	assert.Equal(t, 1, l2.ProcessEvents())
	assert.Equal(t, 5, got)

	require.NoError(t, p.MoveToLoop(nil))
	assert.Nil(t, a1.Loop())
	require.NoError(t, l1.Close())
	assert.ErrorIs(t, p.MoveToLoop(l1), ErrLoopClosed)
	p.Destroy()
	assert.ErrorIs(t, p.MoveToLoop(l2), ErrDestroyed)
}

func TestPostEventFollowsTheObject(t *testing.T) {
	l1, l2 := NewLoop(WithName("l1")), NewLoop(WithName("l2"))
	defer l1.Close()
	defer l2.Close()
	o := newObj(t, WithLoop(l1))
	var where []string
	o.PostEvent(func() { where = append(where, whichLoop(l1, l2)) })
	require.NoError(t, o.MoveToLoop(l2))
	o.PostEvent(func() { where = append(where, whichLoop(l1, l2)) })
	l1.ProcessEvents() // the stale pump hands over to l2
	assert.Empty(t, where)
	l2.ProcessEvents()
	l2.ProcessEvents()
	assert.Equal(t, []string{"l2", "l2"}, where)
}

func TestPostEventPanicKeepsTheRest(t *testing.T) {
	log, logs := observed(0)
	l := NewLoop(WithLogger(log))
	defer l.Close()
	o := newObj(t, WithLoop(l))
	ran := false
	o.PostEvent(panicky)
	o.PostEvent(func() { ran = true })
	l.ProcessEvents()
	l.ProcessEvents()
	assert.True(t, ran)
	assert.Equal(t, 1, logs.Len())
}

func TestWaitForEventsBlockingMode(t *testing.T) {
	o := newObj(t)
	me := goid()
	var ranOn int64
	go o.PostEvent(func() { ranOn = goid() })
	n, err := o.WaitForEvents(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, me, ranOn, "internal events run on the waiting goroutine")

	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, err = o.WaitForEvents(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	o.Destroy()
	_, err = o.WaitForEvents(context.Background())
	assert.ErrorIs(t, err, ErrDestroyed)
	o.PostEvent(func() { t.Error("posted to a destroyed object") })
	assert.Zero(t, processed(t, o))
}

func TestAutoConnectionAcrossLoops(t *testing.T) {
	l1, l2 := NewLoop(WithName("l1")), NewLoop(WithName("l2"))
	defer l1.Close()
	defer l2.Close()
	sender := newObj(t, WithLoop(l1))
	recv := newObj(t, WithLoop(l2))
	var sig signal.Signal0
	sig.Bind(sender.SignalHost())
	var where []string
	_, err := sig.Connect(func() { where = append(where, whichLoop(l1, l2)) }, signal.To(recv))
	require.NoError(t, err)
	require.NoError(t, l1.Post(sig.Emit))
	l1.ProcessEvents()
	assert.Empty(t, where)
	l2.ProcessEvents()
	assert.Equal(t, []string{"l2"}, where)
}

func TestInternalEventsNest(t *testing.T) {
	o := newObj(t)
	var log []string
	o.PostEvent(func() {
		log = append(log, "outer")
		o.PostEvent(func() { log = append(log, "posted inside") })
		go o.PostEvent(func() { log = append(log, "from a goroutine") })
		// A blocking wait inside an event runs the later events.
		for !slices.Contains(log, "from a goroutine") {
			_, err := o.WaitForEvents(context.Background())
			require.NoError(t, err)
		}
		log = append(log, "waited")
	})
	o.PostEvent(func() { log = append(log, "second") })
	assert.Equal(t, 1, processed(t, o), "the nested waits ran the others")
	require.Len(t, log, 5)
	assert.Equal(t, []string{"outer", "second", "posted inside"}, log[:3])
	assert.Equal(t, "waited", log[4])
	assert.Zero(t, processed(t, o))

	// Events posted while ProcessEvents runs wait for the next call.
	o.PostEvent(func() { o.PostEvent(func() { log = append(log, "later") }) })
	assert.Equal(t, 1, processed(t, o))
	assert.Equal(t, 1, processed(t, o))
	assert.Equal(t, "later", log[5])
}

func TestInternalEventPanicKeepsTheRest(t *testing.T) {
	o := newObj(t)
	ran := false
	o.PostEvent(panicky)
	o.PostEvent(func() { ran = true })
	assert.Panics(t, func() { processed(t, o) })
	assert.False(t, ran)
	assert.Equal(t, 1, processed(t, o))
	assert.True(t, ran)
}

func TestEventQueueCompacts(t *testing.T) {
	e := newEventQueue()
	n := 0
	for range 1000 {
		e.post(func() { n++ })
	}
	last := e.seq
	for range 600 {
		fn, ok := e.pop(last)
		require.True(t, ok)
		fn()
	}
	assert.Equal(t, 400, e.pending())
	assert.Less(t, e.head, 600, "compacted")
	assert.Equal(t, 400, e.run())
	assert.Equal(t, 1000, n)
	assert.Zero(t, e.pending())
}
