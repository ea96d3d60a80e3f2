package signal

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBindIsForLife(t *testing.T) {
	var s Signal[int]
	var s0 Signal0
	h, other := new(Host), new(Host)
	require.NoError(t, s.Bind(h))
	require.NoError(t, s0.Bind(h))
	assert.NoError(t, s.Bind(h), "binding again to the same Host does nothing")
	assert.ErrorIs(t, s.Bind(other), ErrAlreadyBound)
	assert.ErrorIs(t, s0.Bind(other), ErrAlreadyBound)
	assert.ErrorIs(t, s.Bind(nil), ErrBind)
	assert.ErrorIs(t, s0.Bind(nil), ErrBind)
	assert.Same(t, h, s.Emitter())
	assert.Same(t, h, s0.Emitter())
	var unbound Signal0
	assert.ErrorIs(t, unbound.Bind(nil), ErrBind)
	assert.Nil(t, unbound.Emitter(), "a refused Bind leaves the signal unbound")
}

func TestDestroyDisconnectsBoundSignals(t *testing.T) {
	emitter, d := manual()
	recv, rd := manual()
	var s Signal[int]
	var s0 Signal0
	require.NoError(t, s.Bind(emitter))
	require.NoError(t, s0.Bind(emitter))
	calls := 0
	conns := []*Connection{
		mustConnect(t, &s, func(int) { calls++ }),
		mustConnect(t, &s, func(int) { calls++ }, Queued), // to the emitter's own loop
		mustConnect(t, &s, func(int) { calls++ }, Queued, To(recv)),
		mustConnect(t, &s, func(int) { calls++ }, SingleShotConnection()),
	}
	c0, err := s0.Connect(func() { calls++ }, UniqueConnection("k"))
	require.NoError(t, err)
	conns = append(conns, c0)
	s.Emit(1) // queues two calls, which the destruction cancels
	assert.Equal(t, 2, calls)

	emitter.Destroy()
	for i, c := range conns {
		assert.False(t, c.Connected(), "connection %d", i)
	}
	assert.Zero(t, s.Receivers())
	assert.Zero(t, s0.Receivers())
	assert.False(t, s.IsConnected())
	d.Drain()
	rd.Drain()
	s.Emit(2)
	s0.Emit()
	d.Drain()
	rd.Drain()
	assert.Equal(t, 2, calls, "no slot runs after the emitter is destroyed")

	_, err = s.Connect(func(int) { calls++ })
	assert.ErrorIs(t, err, ErrDestroyed)
	_, err = s0.Connect(func() { calls++ }, UniqueConnection("k"))
	assert.ErrorIs(t, err, ErrDestroyed)
	assert.False(t, s.IsConnected())
	assert.Same(t, emitter, s.Emitter(), "a destroyed signal keeps its emitter")
	assert.ErrorIs(t, s.Bind(new(Host)), ErrAlreadyBound)
	s.DisconnectAll() // harmless
}

func TestBindToDestroyedHostKillsTheSignal(t *testing.T) {
	var s Signal0
	n := 0
	c, err := s.Connect(func() { n++ })
	require.NoError(t, err)
	h := new(Host)
	h.Destroy()
	assert.ErrorIs(t, s.Bind(h), ErrDestroyed)
	assert.False(t, c.Connected(), "bound to a destroyed Host: dead at once")
	s.Emit()
	assert.Zero(t, n)
	_, err = s.Connect(func() { n++ })
	assert.ErrorIs(t, err, ErrDestroyed)
}

func TestReceiverDestroyedIsDestroyed(t *testing.T) {
	var s Signal0
	h := new(Host)
	h.Destroy()
	_, err := s.Connect(func() {}, To(h))
	assert.ErrorIs(t, err, ErrReceiverDestroyed)
	assert.ErrorIs(t, err, ErrDestroyed, "one value for 'destroyed' across packages")
	assert.False(t, errors.Is(ErrDestroyed, ErrReceiverDestroyed))
}

// widget is a type with signals of every shape BindSignals looks into.
type widget struct {
	*Host               // the object it embeds: not looked into
	Changed Signal[int] // exported
	closed  Signal0     // unexported
	Stats   struct {    // a nested struct
		Overflow Signal0
	}
	Lanes   [3]Signal[string] // an array of signals
	_       [64]byte          // an array without signals
	named                     // an embedded struct with a signal
	Foreign *Signal0          // a pointer: not the widget's own
}

type named struct{ Renamed Signal[string] }

// signals returns every signal BindSignals must bind.
func (w *widget) signals() []Bindable {
	return []Bindable{&w.Changed, &w.closed, &w.Stats.Overflow, &w.Lanes[0], &w.Lanes[1], &w.Lanes[2], &w.Renamed}
}

func TestBindSignalsBindsEverySignalField(t *testing.T) {
	h := new(Host)
	w := &widget{Host: h, Foreign: new(Signal0)}
	require.NoError(t, h.BindSignals(w))
	for i, s := range w.signals() {
		assert.Same(t, h, s.Emitter(), "signal %d", i)
	}
	assert.Nil(t, w.Foreign.Emitter(), "BindSignals does not follow pointers")
	assert.NoError(t, h.BindSignals(w), "again: harmless")

	n := 0
	_, err := w.closed.Connect(func() { n++ })
	require.NoError(t, err)
	h.BlockSignals(true)
	w.closed.Emit()
	assert.Zero(t, n, "an unexported signal is blocked with its object")
	h.BlockSignals(false)
	h.Destroy()
	for i, s := range w.signals() {
		assert.False(t, s.(interface{ IsConnected() bool }).IsConnected(), "signal %d", i)
	}
	_, err = w.Lanes[2].Connect(func(string) {})
	assert.ErrorIs(t, err, ErrDestroyed)
}

func TestBindSignalsErrors(t *testing.T) {
	h := new(Host)
	var nilWidget *widget
	n := 3
	for name, owner := range map[string]any{
		"nil":               nil,
		"struct value":      widget{},
		"nil pointer":       nilWidget,
		"pointer to an int": &n,
		"a signal itself":   new(Signal0), // a pointer to a struct, with no signal field
	} {
		err := h.BindSignals(owner)
		if name == "a signal itself" {
			assert.NoError(t, err, "nothing to bind")
			continue
		}
		assert.ErrorIs(t, err, ErrBind, name)
	}

	var nilHost *Host
	assert.ErrorIs(t, nilHost.BindSignals(&widget{}), ErrBind)

	other := new(Host)
	w := &widget{Host: h}
	require.NoError(t, w.Lanes[1].Bind(other))
	err := h.BindSignals(w)
	assert.ErrorIs(t, err, ErrAlreadyBound)
	assert.ErrorContains(t, err, "Lanes[1]")
	assert.Same(t, other, w.Lanes[1].Emitter())
	assert.Same(t, h, w.Lanes[2].Emitter(), "the other fields are bound all the same")
	assert.Same(t, h, w.Renamed.Emitter())

	dead := new(Host)
	dead.Destroy()
	w2 := &widget{Host: dead}
	assert.ErrorIs(t, dead.BindSignals(w2), ErrDestroyed)
	_, err = w2.Changed.Connect(func(int) {})
	assert.ErrorIs(t, err, ErrDestroyed)
}

func TestToRefusesAReceiverWithAnUnboundSignal(t *testing.T) {
	var s Signal0
	w := &widget{Host: new(Host)}
	_, err := s.Connect(func() {}, To(w))
	assert.ErrorIs(t, err, ErrUnbound)
	assert.ErrorContains(t, err, "Changed")
	assert.False(t, s.IsConnected())

	require.NoError(t, w.BindSignals(w))
	_, err = s.Connect(func() {}, To(w))
	assert.NoError(t, err)

	// A signal field bound to another object is not a forgotten Bind.
	w2 := &widget{Host: new(Host)}
	require.NoError(t, w2.Changed.Bind(new(Host)))
	require.Error(t, w2.BindSignals(w2))
	_, err = s.Connect(func() {}, To(w2))
	assert.NoError(t, err)
}

// TestDestroyRacesEmitAndConnect destroys a host while other goroutines
// emit its signal and connect to it. Afterwards every connection is dead,
// and once the emitters have stopped no slot runs.
func TestDestroyRacesEmitAndConnect(t *testing.T) {
	for range 20 {
		h := new(Host)
		var s Signal[int]
		require.NoError(t, s.Bind(h))
		var calls atomic.Int64
		mustConnect(t, &s, func(int) { calls.Add(1) })
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var made []*Connection
		for range 2 {
			wg.Go(func() {
				<-start
				for i := range 2000 {
					s.Emit(i)
				}
			})
			wg.Go(func() {
				<-start
				for range 200 {
					c, err := s.Connect(func(int) { calls.Add(1) })
					if err != nil {
						assert.ErrorIs(t, err, ErrDestroyed)
						return
					}
					mu.Lock()
					made = append(made, c)
					mu.Unlock()
				}
			})
		}
		close(start)
		h.Destroy()
		wg.Wait()
		for _, c := range made {
			assert.False(t, c.Connected())
		}
		assert.Zero(t, s.Receivers())
		before := calls.Load()
		s.Emit(0)
		assert.Equal(t, before, calls.Load())
	}
}

func TestBoundEmitAllocatesNothing(t *testing.T) {
	h := new(Host)
	w := &widget{Host: h}
	require.NoError(t, h.BindSignals(w))
	n := 0
	_, err := w.Changed.Connect(func(v int) { n += v })
	require.NoError(t, err)
	_, err = w.closed.Connect(func() { n++ })
	require.NoError(t, err)
	assert.Zero(t, testing.AllocsPerRun(100, func() { w.Changed.Emit(1) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { w.closed.Emit() }))
	h.Destroy()
	assert.Zero(t, testing.AllocsPerRun(100, func() { w.Changed.Emit(1) }), "after Destroy")
}
