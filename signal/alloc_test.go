package signal

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDirectEmitAllocatesNothing(t *testing.T) {
	for _, n := range []int{0, 1, 10} {
		var s Signal[int]
		var s0 Signal0
		s.Bind(new(Host))
		sum := 0
		for range n {
			mustConnect(t, &s, func(v int) { sum += v })
			_, err := s0.Connect(func() { sum++ })
			require.NoError(t, err)
		}
		assert.Zero(t, testing.AllocsPerRun(100, func() { s.Emit(1) }), "Signal N=%d", n)
		assert.Zero(t, testing.AllocsPerRun(100, func() { s0.Emit() }), "Signal0 N=%d", n)
	}
}

func TestRoutedDirectEmitAllocatesNothing(t *testing.T) {
	emitter, _ := manual()
	var s Signal[string]
	s.Bind(emitter)
	n := 0
	mustConnect(t, &s, func(string) { n++ }, To(emitter)) // Auto, same loop
	assert.Zero(t, testing.AllocsPerRun(100, func() { s.Emit("x") }))
}

func TestQueuedSteadyStateAllocatesNothing(t *testing.T) {
	recv, d := manual()
	var s Signal[[2]int]
	var s0 Signal0
	sum := 0
	mustConnect(t, &s, func(v [2]int) { sum += v[0] }, Queued, To(recv))
	_, err := s0.Connect(func() { sum++ }, Queued, To(recv))
	require.NoError(t, err)
	round := func() {
		for i := range 100 {
			s.Emit([2]int{i, i})
			s0.Emit()
		}
		<-d.Wake()
		d.Drain()
	}
	round() // warm up: queue buffers
	assert.Zero(t, testing.AllocsPerRun(20, round))
}

func TestBlockingQueuedAllocatesNothing(t *testing.T) {
	l := startLoop(t)
	var s Signal[int]
	sum := 0
	mustConnect(t, &s, func(v int) { sum += v }, BlockingQueued, To(hostOn(l)))
	s.Emit(1) // warm up
	assert.Zero(t, testing.AllocsPerRun(50, func() { s.Emit(1) }))
}
