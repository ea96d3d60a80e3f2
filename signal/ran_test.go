package signal

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A single-shot connection's owner tells a slot that ran from one that was
// cancelled: Disconnect, then Ran.
func TestSingleShotRanOrCancelled(t *testing.T) {
	d := NewDispatcher()
	recv := new(Host)
	recv.SetDispatcher(d)
	var s Signal[int]
	got := []int{}

	ran := mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv), SingleShotConnection())
	s.Emit(1)
	assert.False(t, ran.Ran(), "fired, not run yet")
	d.Drain()
	assert.False(t, ran.Disconnect(), "already spent")
	assert.True(t, ran.Ran())

	cancelled := mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv), SingleShotConnection())
	s.Emit(2)
	assert.False(t, cancelled.Disconnect(), "it had fired: no longer connected")
	d.Drain()
	assert.False(t, cancelled.Ran(), "its pending call was cancelled")
	assert.Equal(t, []int{1}, got)

	direct := mustConnect(t, &s, func(v int) { got = append(got, v) }, SingleShotConnection())
	s.Emit(3)
	assert.True(t, direct.Ran())
	direct.Disconnect()
	assert.True(t, direct.Ran(), "Disconnect does not undo a run")

	never := mustConnect(t, &s, func(v int) { got = append(got, v) }, SingleShotConnection())
	assert.True(t, never.Disconnect())
	assert.False(t, never.Ran())

	plain := mustConnect(t, &s, func(int) {})
	s.Emit(4)
	assert.False(t, plain.Ran(), "only single-shot connections run once")
	var nilConn *Connection
	assert.False(t, nilConn.Ran())
}

// The receiver's destruction cancels a fired single-shot call for good.
func TestSingleShotCancelledByDestroy(t *testing.T) {
	d := NewDispatcher()
	recv := new(Host)
	recv.SetDispatcher(d)
	var s Signal0
	c, err := s.Connect(func() { t.Error("ran after its receiver was destroyed") }, Queued, To(recv), SingleShotConnection())
	require.NoError(t, err)
	s.Emit()
	recv.Destroy()
	d.Drain()
	assert.False(t, c.Ran())
	assert.False(t, c.Connected())
}

// Queued calls posted before a Disconnect are dropped at delivery, as Qt
// drops a disconnected queued connection's pending calls, also when the
// slot disconnects its own connection in the middle of a run.
// TestQueuedDisconnectMatchesQt runs the same scenarios against real Qt.
func TestQueuedCallsDroppedAfterDisconnect(t *testing.T) {
	assert.Empty(t, disconnectedBeforeDelivery(t), "nothing posted before the Disconnect runs after it")
	assert.Equal(t, []int{0}, disconnectedByFirstCall(t), "the rest of the run is dropped")
}

// queuedTo returns a signal connected Queued to fn on a receiver on a
// dispatcher that nothing drains yet.
func queuedTo(t *testing.T, fn func(int)) (*Signal[int], *Connection, *Dispatcher) {
	d := NewDispatcher()
	recv := new(Host)
	recv.SetDispatcher(d)
	s := new(Signal[int])
	return s, mustConnect(t, s, fn, Queued, To(recv)), d
}

// disconnectedBeforeDelivery emits 0..4, disconnects, then delivers, and
// returns what the slot got.
func disconnectedBeforeDelivery(t *testing.T) []int {
	got := []int{}
	s, c, d := queuedTo(t, func(v int) { got = append(got, v) })
	for i := range 5 {
		s.Emit(i)
	}
	require.True(t, c.Disconnect())
	d.Drain()
	return got
}

// disconnectedByFirstCall emits 0..4 to a slot that disconnects its own
// connection, delivers, and returns what the slot got.
func disconnectedByFirstCall(t *testing.T) []int {
	got := []int{}
	var self *Connection
	s, self, d := queuedTo(t, func(v int) {
		got = append(got, v)
		self.Disconnect()
	})
	for i := range 5 {
		s.Emit(i)
	}
	d.Drain()
	return got
}
