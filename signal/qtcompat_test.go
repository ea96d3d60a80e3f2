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

	assert.Equal(t, qt["disconnected_before_delivery"], show(disconnectedBeforeDelivery(t)),
		"disconnected before delivery")
	assert.Equal(t, qt["disconnected_by_first_call"], show(disconnectedByFirstCall(t)),
		"disconnected by its first call")
}
