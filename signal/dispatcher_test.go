package signal

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDispatcherDeliversInPostingOrder(t *testing.T) {
	d := NewDispatcher()
	var got []int
	for i := range 5 {
		d.Post(func() { got = append(got, i) })
	}
	assert.Equal(t, 5, d.Pending())
	assert.Equal(t, 5, d.Drain())
	assert.Equal(t, []int{0, 1, 2, 3, 4}, got)
	assert.Zero(t, d.Drain())
}

func TestDispatcherWakesOncePerIdlePeriod(t *testing.T) {
	d := NewDispatcher()
	d.Post(func() {})
	d.Post(func() {})
	<-d.Wake()
	select {
	case <-d.Wake():
		t.Fatal("one token per transition from empty")
	default:
	}
	d.Drain()
	d.Post(func() {})
	<-d.Wake()
	d.Drain()
}

func TestDispatcherDrainLeavesLaterPosts(t *testing.T) {
	d := NewDispatcher()
	var got []string
	d.Post(func() {
		got = append(got, "first")
		d.Post(func() { got = append(got, "later") })
	})
	assert.Equal(t, 1, d.Drain())
	assert.Equal(t, []string{"first"}, got)
	<-d.Wake() // the post during Drain left a token
	assert.Equal(t, 1, d.Drain())
	assert.Equal(t, []string{"first", "later"}, got)
}

func TestDispatcherPanicWithoutHandlerKeepsRest(t *testing.T) {
	d := NewDispatcher()
	var got []int
	d.Post(func() { got = append(got, 1) })
	d.Post(func() { panic("boom") })
	d.Post(func() { got = append(got, 3) })
	require.PanicsWithValue(t, "boom", func() { d.Drain() })
	assert.Equal(t, 1, d.Pending())
	<-d.Wake()
	assert.Equal(t, 1, d.Drain())
	assert.Equal(t, []int{1, 3}, got)
}

func TestDispatcherPanicHandler(t *testing.T) {
	d := NewDispatcher()
	var panics []any
	d.SetPanicHandler(func(v any) { panics = append(panics, v) })
	n := 0
	d.Post(func() { panic("a") })
	d.Post(func() { n++ })
	d.Post(func() { panic("b") })
	assert.Equal(t, 3, d.Drain())
	assert.Equal(t, 1, n)
	assert.Equal(t, []any{"a", "b"}, panics)
}

func TestQueuedSlotPanicGoesToHandler(t *testing.T) {
	recv, d := manual()
	var panics []any
	d.SetPanicHandler(func(v any) { panics = append(panics, v) })
	var s Signal[int]
	var got []int
	mustConnect(t, &s, func(v int) {
		if v == 2 {
			panic(v)
		}
		got = append(got, v)
	}, Queued, To(recv))
	for i := 1; i <= 3; i++ {
		s.Emit(i)
	}
	assert.Equal(t, 1, d.Drain(), "one run")
	assert.Equal(t, []int{1, 3}, got, "the run goes on after a panic")
	assert.Equal(t, []any{2}, panics)
}

func TestQueuedSlotPanicWithoutHandlerKeepsRestOfRun(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	var got []int
	mustConnect(t, &s, func(v int) {
		if v == 2 {
			panic(v)
		}
		got = append(got, v)
	}, Queued, To(recv))
	s.Emit(1)
	s.Emit(2)
	s.Emit(3)
	d.Post(func() { got = append(got, 100) })
	require.PanicsWithValue(t, 2, func() { d.Drain() })
	assert.Equal(t, []int{1}, got)
	assert.Equal(t, 2, d.Pending(), "the rest of the run, then the post")
	assert.Equal(t, 2, d.Drain())
	assert.Equal(t, []int{1, 3, 100}, got)
}

func TestDispatcherNestedDrain(t *testing.T) {
	d := NewDispatcher()
	for range 2 { // warm up: Drain has buffers to reuse
		for range 4 {
			d.Post(func() {})
		}
		d.Drain()
	}
	var got []string
	add := func(s string) func() { return func() { got = append(got, s) } }
	d.Post(func() {
		got = append(got, "outer1")
		d.Post(func() {
			got = append(got, "inner1")
			d.Post(add("x"))
			d.Post(add("y"))
		})
		d.Post(add("inner2"))
		d.Drain() // a nested loop, as a blocking wait inside a slot runs
	})
	d.Post(add("outer2"))
	assert.Equal(t, 1, d.Drain(), "the nested Drain delivered outer2")
	assert.Equal(t, 2, d.Drain())
	// Qt's order (checked with PyQt5: postEvent, then processEvents inside
	// an event): the nested loop goes on with the enclosing batch, then
	// takes what was posted before it was called.
	assert.Equal(t, []string{"outer1", "outer2", "inner1", "inner2", "x", "y"}, got)
}

func TestDispatcherIgnoresNil(t *testing.T) {
	d := NewDispatcher()
	d.Post(nil)
	d.PostEvent(nil)
	assert.Zero(t, d.Pending())
	assert.Zero(t, d.Drain())
}
