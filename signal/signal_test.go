package signal

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustConnect[T any](t *testing.T, s *Signal[T], fn func(T), opts ...ConnectOption) *Connection {
	t.Helper()
	c, err := s.Connect(fn, opts...)
	require.NoError(t, err)
	require.NotNil(t, c)
	return c
}

func TestZeroSignalEmitsNothing(t *testing.T) {
	var s Signal[int]
	var s0 Signal0
	assert.False(t, s.IsConnected())
	assert.Zero(t, s.Receivers())
	s.Emit(1)
	s0.Emit()
	s.DisconnectAll()
	assert.Nil(t, s.Emitter())
}

func TestEmitCallsSlotsInConnectionOrder(t *testing.T) {
	var s Signal[string]
	var got []string
	for _, name := range []string{"a", "b", "c"} {
		mustConnect(t, &s, func(v string) { got = append(got, name+v) })
	}
	assert.True(t, s.IsConnected())
	assert.Equal(t, 3, s.Receivers())
	s.Emit("1")
	s.Emit("2")
	assert.Equal(t, []string{"a1", "b1", "c1", "a2", "b2", "c2"}, got)
}

func TestSignal0(t *testing.T) {
	var s Signal0
	n := 0
	c, err := s.Connect(func() { n++ })
	require.NoError(t, err)
	s.Emit()
	s.Emit()
	assert.Equal(t, 2, n)
	assert.True(t, c.Disconnect())
	s.Emit()
	assert.Equal(t, 2, n)
	assert.False(t, s.IsConnected())
}

func TestNilSlot(t *testing.T) {
	var s Signal[int]
	_, err := s.Connect(nil)
	assert.ErrorIs(t, err, ErrNilSlot)
	var s0 Signal0
	_, err = s0.Connect(nil)
	assert.ErrorIs(t, err, ErrNilSlot)
	assert.False(t, s.IsConnected())
}

func TestInvalidOptions(t *testing.T) {
	var s Signal[int]
	slot := func(int) {}
	for name, opt := range map[string]ConnectOption{
		"kind":         WithKind(Kind(42)),
		"nil receiver": To(nil),
		"nil host":     To((*Host)(nil)),
		"empty key":    UniqueConnection(""),
	} {
		_, err := s.Connect(slot, opt)
		assert.ErrorIs(t, err, ErrInvalidOption, name)
	}
	assert.False(t, s.IsConnected())
	_, err := s.Connect(slot, nil) // a nil option is ignored
	assert.NoError(t, err)
}

func TestDisconnect(t *testing.T) {
	var s Signal[int]
	var got []int
	c1 := mustConnect(t, &s, func(v int) { got = append(got, 1) })
	mustConnect(t, &s, func(v int) { got = append(got, 2) })
	assert.True(t, c1.Connected())
	assert.True(t, c1.Disconnect())
	assert.False(t, c1.Connected())
	assert.False(t, c1.Disconnect(), "second Disconnect reports it was not connected")
	s.Emit(0)
	assert.Equal(t, []int{2}, got)
	assert.Equal(t, 1, s.Receivers())

	var nilConn *Connection
	assert.False(t, nilConn.Disconnect())
	assert.False(t, nilConn.Connected())
	assert.False(t, new(Connection).Disconnect(), "a zero Connection was never connected")
}

func TestDisconnectAll(t *testing.T) {
	var s Signal[int]
	h := new(Host)
	n := 0
	c1 := mustConnect(t, &s, func(int) { n++ })
	c2 := mustConnect(t, &s, func(int) { n++ }, To(h), UniqueConnection("k"))
	s.DisconnectAll()
	assert.False(t, s.IsConnected())
	assert.False(t, c1.Connected())
	assert.False(t, c2.Disconnect())
	s.Emit(1)
	assert.Zero(t, n)
	h.mu.Lock()
	assert.Empty(t, h.conns, "the receiver no longer holds the connection")
	h.mu.Unlock()
	mustConnect(t, &s, func(int) {}, UniqueConnection("k")) // the key is free again
}

func TestUnique(t *testing.T) {
	var s Signal[int]
	c := mustConnect(t, &s, func(int) {}, UniqueConnection("log"))
	_, err := s.Connect(func(int) {}, UniqueConnection("log"))
	require.ErrorIs(t, err, ErrDuplicateConnection)
	assert.Equal(t, 1, s.Receivers())
	mustConnect(t, &s, func(int) {}, UniqueConnection("other"))
	mustConnect(t, &s, func(int) {}) // no key: never a duplicate
	c.Disconnect()
	mustConnect(t, &s, func(int) {}, UniqueConnection("log"))

	var s0 Signal0
	_, err = s0.Connect(func() {}, UniqueConnection("x"))
	require.NoError(t, err)
	_, err = s0.Connect(func() {}, UniqueConnection("x"))
	assert.True(t, errors.Is(err, ErrDuplicateConnection))
}

func TestSingleShot(t *testing.T) {
	var s Signal[int]
	var got []int
	c := mustConnect(t, &s, func(v int) { got = append(got, v) }, SingleShotConnection(), UniqueConnection("once"))
	s.Emit(1)
	s.Emit(2)
	assert.Equal(t, []int{1}, got)
	assert.False(t, c.Connected())
	assert.False(t, c.Disconnect())
	assert.False(t, s.IsConnected())
	mustConnect(t, &s, func(int) {}, UniqueConnection("once")) // the key was released
}

func TestSingleShotDisconnectsBeforeTheCall(t *testing.T) {
	var s Signal0
	calls := 0
	var c *Connection
	c, err := s.Connect(func() {
		calls++
		assert.False(t, c.Connected())
		s.Emit() // re-entrant emission must not call it again
	}, SingleShotConnection())
	require.NoError(t, err)
	s.Emit()
	assert.Equal(t, 1, calls)
}

func TestBlockedEmitterEmitsNothing(t *testing.T) {
	var s Signal[int]
	var s0 Signal0
	h := new(Host)
	s.Bind(h)
	s0.Bind(h)
	assert.Same(t, h, s.Emitter())
	assert.Same(t, h, s0.Emitter())
	n := 0
	mustConnect(t, &s, func(int) { n++ })
	_, err := s0.Connect(func() { n++ }, SingleShotConnection())
	require.NoError(t, err)
	assert.False(t, h.BlockSignals(true))
	s.Emit(1)
	s0.Emit()
	assert.Zero(t, n)
	assert.True(t, s0.IsConnected(), "a blocked emission does not spend a single shot")
	assert.True(t, h.BlockSignals(false))
	s.Emit(1)
	s0.Emit()
	assert.Equal(t, 2, n)
}

func TestBindAfterConnect(t *testing.T) {
	var s Signal[int]
	n := 0
	mustConnect(t, &s, func(int) { n++ })
	h := new(Host)
	h.BlockSignals(true)
	require.NoError(t, s.Bind(h))
	s.Emit(1)
	assert.Zero(t, n, "the connection made before Bind is blocked with h")
	h.BlockSignals(false)
	s.Emit(1)
	assert.Equal(t, 1, n)
}

func TestDisconnectDuringEmission(t *testing.T) {
	var s Signal[int]
	var got []string
	var c2 *Connection
	mustConnect(t, &s, func(int) {
		got = append(got, "first")
		c2.Disconnect()
	})
	c2 = mustConnect(t, &s, func(int) { got = append(got, "second") })
	mustConnect(t, &s, func(int) { got = append(got, "third") })
	s.Emit(0)
	assert.Equal(t, []string{"first", "third"}, got)
}

func TestDisconnectDuringEmissionRoutedPath(t *testing.T) {
	var s Signal0
	var got []string
	var c2 *Connection
	_, err := s.Connect(func() { got = append(got, "first"); c2.Disconnect() }, SingleShotConnection())
	require.NoError(t, err)
	c2, err = s.Connect(func() { got = append(got, "second") })
	require.NoError(t, err)
	s.Emit()
	assert.Equal(t, []string{"first"}, got)
}

func TestConnectDuringEmission(t *testing.T) {
	for _, n := range []int{1, 3} { // one slot takes a special path
		var s Signal[int]
		calls := 0
		for range n {
			mustConnect(t, &s, func(int) {
				calls++
				mustConnect(t, &s, func(int) { calls += 100 })
			})
		}
		s.Emit(0)
		assert.Equal(t, n, calls, "slots connected during an emission are not called in it")
		assert.Equal(t, 2*n, s.Receivers())
	}
}

func TestDirectSlotPanicReachesEmitter(t *testing.T) {
	var s Signal[int]
	mustConnect(t, &s, func(v int) { panic(v) })
	assert.PanicsWithValue(t, 7, func() { s.Emit(7) })
	var s0 Signal0
	_, err := s0.Connect(func() { panic("boom") }, WithKind(Direct), SingleShotConnection())
	require.NoError(t, err)
	assert.PanicsWithValue(t, "boom", func() { s0.Emit() })
}

func TestReceiverDestroyDisconnects(t *testing.T) {
	var s Signal[int]
	recv, other := new(Host), new(Host)
	var got []string
	c1 := mustConnect(t, &s, func(int) { got = append(got, "recv") }, To(recv))
	c2 := mustConnect(t, &s, func(int) { got = append(got, "other") }, To(other))
	recv.Destroy()
	assert.True(t, recv.IsDestroyed())
	assert.False(t, c1.Connected())
	assert.True(t, c2.Connected())
	s.Emit(0)
	assert.Equal(t, []string{"other"}, got)

	_, err := s.Connect(func(int) {}, To(recv))
	assert.ErrorIs(t, err, ErrReceiverDestroyed)
	_, err = s.Connect(func(int) {}, To(recv), Queued)
	assert.ErrorIs(t, err, ErrReceiverDestroyed)
	recv.Destroy() // idempotent
}

func TestDisconnectUntracksReceiver(t *testing.T) {
	var s Signal[int]
	h := new(Host)
	c := mustConnect(t, &s, func(int) {}, To(h))
	h.mu.Lock()
	assert.Len(t, h.conns, 1)
	h.mu.Unlock()
	c.Disconnect()
	h.mu.Lock()
	assert.Empty(t, h.conns)
	h.mu.Unlock()
}

func TestKindString(t *testing.T) {
	assert.Equal(t, "Auto", Auto.String())
	assert.Equal(t, "Direct", Direct.String())
	assert.Equal(t, "Queued", Queued.String())
	assert.Equal(t, "BlockingQueued", BlockingQueued.String())
	assert.Equal(t, "Kind(9)", Kind(9).String())
}

// Emit calls a lone plain direct slot without looking at the snapshot; the
// decision is taken when something changes: connect, disconnect, block.
func TestEmitFastPathFollowsChanges(t *testing.T) {
	var h Host
	var s Signal[[8]int64]
	require.NoError(t, s.Bind(&h))
	var got []int64
	c, err := s.Connect(func(v [8]int64) { got = append(got, v[7]) })
	require.NoError(t, err)
	s.Emit([8]int64{7: 1})
	h.BlockSignals(true)
	s.Emit([8]int64{7: 2})
	h.BlockSignals(false)
	s.Emit([8]int64{7: 3})
	c2, err := s.Connect(func(v [8]int64) { got = append(got, -v[7]) })
	require.NoError(t, err)
	s.Emit([8]int64{7: 4})
	c2.Disconnect()
	s.Emit([8]int64{7: 5})
	c.Disconnect()
	s.Emit([8]int64{7: 6})
	_, err = s.Connect(func(v [8]int64) { got = append(got, 10*v[7]) })
	require.NoError(t, err)
	h.Destroy()
	s.Emit([8]int64{7: 7})
	assert.Equal(t, []int64{1, 3, 4, -4, 5}, got)
	assert.Zero(t, testing.AllocsPerRun(100, func() { s.Emit([8]int64{}) }))
}
