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

// bigPayload is larger than any register set: it is passed on the stack.
type bigPayload struct {
	words [8]int64
	name  string
}

// directEmitAllocs connects n direct slots to a Signal[T] and reports the
// allocations of one Emit(v).
func directEmitAllocs[T any](t *testing.T, n int, v T) float64 {
	var s Signal[T]
	s.Bind(new(Host))
	calls := 0
	for range n {
		_, err := s.Connect(func(T) { calls++ })
		require.NoError(t, err)
	}
	return testing.AllocsPerRun(100, func() { s.Emit(v) })
}

// TestDirectEmitAllocatesNothingForAnyPayload covers payload shapes that
// could box or escape: strings, slices, pointers, interfaces, maps, a large
// struct and a func.
func TestDirectEmitAllocatesNothingForAnyPayload(t *testing.T) {
	var err error = ErrNilSlot
	for _, n := range []int{1, 10, 100} {
		assert.Zero(t, directEmitAllocs(t, n, "text"), "string N=%d", n)
		assert.Zero(t, directEmitAllocs(t, n, []byte("bytes")), "[]byte N=%d", n)
		assert.Zero(t, directEmitAllocs(t, n, &bigPayload{}), "pointer N=%d", n)
		assert.Zero(t, directEmitAllocs(t, n, err), "interface N=%d", n)
		assert.Zero(t, directEmitAllocs(t, n, map[string]int{"a": 1}), "map N=%d", n)
		assert.Zero(t, directEmitAllocs(t, n, bigPayload{words: [8]int64{1}, name: "x"}), "large struct N=%d", n)
		assert.Zero(t, directEmitAllocs(t, n, func() {}), "func N=%d", n)
	}
}
