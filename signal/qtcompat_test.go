package signal

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/slotnet/slotnet/internal/qtcompat"
)

// show formats values as testdata/qt_disconnect.py prints them.
func show(values []int) string {
	if len(values) == 0 {
		return "-"
	}
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, " ")
}

// Queued calls whose connection is broken before delivery are dropped, as
// in real Qt 5.
func TestQueuedDisconnectMatchesQt(t *testing.T) {
	qt := qtcompat.Run(t, "PyQt5.QtCore", "testdata/qt_disconnect.py")

	d := NewDispatcher()
	recv := new(Host)
	recv.SetDispatcher(d)

	var s Signal[int]
	got := []int{}
	c := mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv))
	for i := range 5 {
		s.Emit(i)
	}
	c.Disconnect()
	d.Drain()
	assert.Equal(t, qt["disconnected_before_delivery"], show(got), "disconnected before delivery")

	var s2 Signal[int]
	got = []int{}
	var self *Connection
	self = mustConnect(t, &s2, func(v int) {
		got = append(got, v)
		self.Disconnect()
	}, Queued, To(recv))
	for i := range 5 {
		s2.Emit(i)
	}
	d.Drain()
	assert.Equal(t, qt["disconnected_by_first_call"], show(got), "disconnected by its first call")
}
