package core

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/signal"
)

// sensor is a user type with signals of its own, built the way doc.go
// shows: embed *Object, bind the signals with one call.
type sensor struct {
	*Object
	Reading signal.Signal[int]
	Ready   signal.Signal0
	closing signal.Signal0 // unexported signals are the object's too
}

func newSensor(t *testing.T, opts ...ObjectOption) *sensor {
	t.Helper()
	obj, err := NewObject(opts...)
	require.NoError(t, err)
	s := &sensor{Object: obj}
	require.NoError(t, obj.BindSignals(s))
	obj.AddDestroyHook(func() { s.closing.Emit() }) // as a socket aborts
	return s
}

// connectAll connects a counting slot to each of the sensor's signals.
func (s *sensor) connectAll(t *testing.T, calls *atomic.Int64, opts ...signal.ConnectOption) []*signal.Connection {
	t.Helper()
	add := func() { calls.Add(1) }
	var conns []*signal.Connection
	for _, c := range []func() (*signal.Connection, error){
		func() (*signal.Connection, error) { return s.Reading.Connect(func(int) { add() }, opts...) },
		func() (*signal.Connection, error) { return s.Ready.Connect(add, opts...) },
		func() (*signal.Connection, error) { return s.closing.Connect(add, opts...) },
	} {
		conn, err := c()
		require.NoError(t, err)
		conns = append(conns, conn)
	}
	return conns
}

func (s *sensor) emitAll() {
	s.Reading.Emit(1)
	s.Ready.Emit()
	s.closing.Emit()
}

// assertDead checks what a destroyed sensor's signals promise: no
// connection left, Connect refused with ErrDestroyed, Emit a no-op.
func (s *sensor) assertDead(t *testing.T, calls *atomic.Int64, conns []*signal.Connection) {
	t.Helper()
	for i, c := range conns {
		assert.False(t, c.Connected(), "connection %d", i)
	}
	assert.Zero(t, s.Reading.Receivers())
	assert.Zero(t, s.Ready.Receivers())
	assert.Zero(t, s.closing.Receivers())
	before := calls.Load()
	s.emitAll()
	assert.Equal(t, before, calls.Load(), "Emit after Destroy is a no-op")
	_, err := s.Reading.Connect(func(int) { t.Error("connected to a destroyed object") })
	assert.ErrorIs(t, err, ErrDestroyed)
	_, err = s.Ready.Connect(func() {})
	assert.ErrorIs(t, err, signal.ErrDestroyed)
}

func TestDestroyDisconnectsEmbeddedSignals(t *testing.T) {
	ways := map[string]func(t *testing.T, s *sensor){
		"Destroy": func(_ *testing.T, s *sensor) { s.Destroy() },
		"parent": func(t *testing.T, s *sensor) {
			p := newObj(t, WithLoop(s.Loop()))
			require.NoError(t, s.SetParent(p))
			p.Destroy()
		},
		"DeleteLater": func(t *testing.T, s *sensor) {
			s.DeleteLater()
			s.Loop().ProcessEvents()
		},
	}
	for name, destroy := range ways {
		t.Run(name, func(t *testing.T) {
			l := NewLoop(WithName(name))
			defer l.Close()
			s := newSensor(t, WithLoop(l))
			var calls atomic.Int64
			conns := s.connectAll(t, &calls)
			conns = append(conns, s.connectAll(t, &calls, signal.Queued)...)
			s.emitAll()
			l.ProcessEvents()
			require.EqualValues(t, 6, calls.Load())

			destroy(t, s)
			require.True(t, s.IsDestroyed())
			assert.EqualValues(t, 7, calls.Load(),
				"the destroy hook's emission reached the direct slot")
			l.ProcessEvents()
			assert.EqualValues(t, 7, calls.Load(), "its queued call was cancelled")
			s.assertDead(t, &calls, conns)
			l.ProcessEvents()
			assert.EqualValues(t, 7, calls.Load())
		})
	}
}

// In Qt 5 a derived class's destructor runs while its connections still
// stand, and ~QObject drops them after destroyed(): a socket that aborts in
// its destructor still reports it.
func TestEmbeddedSignalsLiveUntilDestroyed(t *testing.T) {
	s := newSensor(t)
	var log []string
	_, err := s.closing.Connect(func() { log = append(log, "closing") })
	require.NoError(t, err)
	_, err = s.Destroyed.Connect(func(*Object) {
		log = append(log, "destroyed")
		s.Ready.Emit() // still connected here
	})
	require.NoError(t, err)
	_, err = s.Ready.Connect(func() { log = append(log, "ready") })
	require.NoError(t, err)
	s.Destroy()
	assert.Equal(t, []string{"closing", "destroyed", "ready"}, log)
}

func TestBlockSignalsSilencesEmbeddedSignals(t *testing.T) {
	s := newSensor(t)
	var calls atomic.Int64
	s.connectAll(t, &calls)
	assert.False(t, s.BlockSignals(true))
	s.emitAll()
	assert.Zero(t, calls.Load())
	s.BlockSignals(false)
	s.emitAll()
	assert.EqualValues(t, 3, calls.Load())
}

// Auto compares the emitter's loop with the receiver's: a bound signal
// emitted on its object's loop runs a slot of an object on that loop
// directly; an unbound one has no loop and queues.
func TestAutoIsDirectOnTheSameLoopWhenBound(t *testing.T) {
	l := startLoop(t)
	s := newSensor(t, WithLoop(l))
	recv := newObj(t, WithLoop(l))
	var unbound signal.Signal0
	var got []string
	_, err := s.Ready.Connect(func() { got = append(got, "bound") }, signal.To(recv))
	require.NoError(t, err)
	_, err = unbound.Connect(func() { got = append(got, "unbound") }, signal.To(recv))
	require.NoError(t, err)
	require.NoError(t, l.Invoke(func() {
		s.Ready.Emit()
		unbound.Emit()
		assert.Equal(t, []string{"bound"}, got, "only the bound signal ran at once")
	}))
	require.NoError(t, l.Invoke(func() {}))
	require.NoError(t, l.Invoke(func() { assert.Equal(t, []string{"bound", "unbound"}, got) }))
}

// A constructor that forgets BindSignals is caught the first time its
// object is used as a receiver.
func TestForgottenBindSignalsIsRefused(t *testing.T) {
	obj := newObj(t)
	forgot := &sensor{Object: obj} // no BindSignals
	var s signal.Signal0
	_, err := s.Connect(func() {}, signal.To(forgot))
	assert.ErrorIs(t, err, signal.ErrUnbound)
	assert.ErrorContains(t, err, "Reading")
	_, err = s.Connect(func() {}, signal.To(obj))
	assert.NoError(t, err, "the object itself has its signals bound")
	require.NoError(t, obj.BindSignals(forgot))
	_, err = s.Connect(func() {}, signal.To(forgot))
	assert.NoError(t, err)
}

func TestBindSignalsErrors(t *testing.T) {
	o := newObj(t)
	var nilSensor *sensor
	assert.ErrorIs(t, o.BindSignals(nil), signal.ErrBind)
	assert.ErrorIs(t, o.BindSignals(sensor{}), signal.ErrBind)
	assert.ErrorIs(t, o.BindSignals(nilSensor), signal.ErrBind)

	a := newSensor(t)
	b := newObj(t)
	err := b.BindSignals(a)
	assert.ErrorIs(t, err, signal.ErrAlreadyBound, "a's signals are a's for life")
	assert.Same(t, a.SignalHost(), a.Reading.Emitter())
	assert.NoError(t, a.BindSignals(a), "binding again to the same object is harmless")

	dead := newObj(t)
	dead.Destroy()
	late := &sensor{Object: dead}
	assert.ErrorIs(t, dead.BindSignals(late), ErrDestroyed)
	_, err = late.Reading.Connect(func(int) {})
	assert.ErrorIs(t, err, ErrDestroyed)
}

func TestTimerTimeoutDiesWithTheTimer(t *testing.T) {
	l := NewLoop()
	defer l.Close()
	tm, err := NewTimer(WithLoop(l))
	require.NoError(t, err)
	c, err := tm.Timeout.Connect(func() {})
	require.NoError(t, err)
	tm.Destroy()
	assert.False(t, c.Connected())
	_, err = tm.Timeout.Connect(func() {})
	assert.ErrorIs(t, err, ErrDestroyed)
}

// TestDestroyWhileEmittingElsewhere destroys an object on its loop while
// other goroutines emit its signals (Direct) and connect to them. Run with
// -race. Afterwards nothing is connected and, once the emitters have
// stopped, no slot runs.
func TestDestroyWhileEmittingElsewhere(t *testing.T) {
	l := startLoop(t)
	for range 10 {
		s := newSensor(t, WithLoop(l))
		var calls atomic.Int64
		s.connectAll(t, &calls, signal.Direct)
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var made []*signal.Connection
		wg.Go(func() {
			<-start
			for range 2000 {
				s.emitAll()
			}
		})
		wg.Go(func() {
			<-start
			for range 200 {
				c, err := s.Ready.Connect(func() { calls.Add(1) }, signal.Direct)
				if err != nil {
					assert.ErrorIs(t, err, ErrDestroyed)
					return
				}
				mu.Lock()
				made = append(made, c)
				mu.Unlock()
			}
		})
		gone := make(chan struct{})
		_, err := s.Destroyed.Connect(func(*Object) { close(gone) })
		require.NoError(t, err)
		close(start)
		s.DeleteLater()
		<-gone
		require.NoError(t, l.Invoke(func() {})) // Destroy has returned
		wg.Wait()
		s.assertDead(t, &calls, made)
	}
}
