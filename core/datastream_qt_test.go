package core

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/slotnet/slotnet/internal/qtcompat"
)

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// TestDataStreamTransactionsMatchQt replays testdata/datastream_tx.py's
// scenarios and requires what real Qt 5 printed.
func TestDataStreamTransactionsMatchQt(t *testing.T) {
	qt := qtcompat.Run(t, "PyQt5.QtCore", "testdata/datastream_tx.py")
	for name, replay := range map[string]func() string{
		"nested": func() string {
			ds := NewDataStreamBytes([]byte{0, 0, 0, 1, 0, 0})
			ds.StartTransaction()
			a := ds.ReadUint32()
			ds.StartTransaction()
			ds.ReadUint32()
			inner := ds.CommitTransaction()
			during := ds.ReadUint16()
			outer := ds.CommitTransaction()
			return fmt.Sprintf("%d %s %d %s %d %d", a, pyBool(inner), during, pyBool(outer), ds.Status(), ds.Buffered())
		},
		"rollback": func() string {
			ds := NewDataStreamBytes([]byte{1, 2, 3, 4})
			ds.StartTransaction()
			ds.ReadUint16()
			ds.RollbackTransaction()
			return fmt.Sprintf("%d %d", ds.Status(), ds.Buffered())
		},
		"abort": func() string {
			ds := NewDataStreamBytes([]byte{1, 2, 3, 4})
			ds.StartTransaction()
			ds.ReadUint16()
			ds.AbortTransaction()
			return fmt.Sprintf("%d %d", ds.Status(), ds.Buffered())
		},
		"rollback_after_corrupt": func() string {
			ds := NewDataStreamBytes([]byte{1, 2, 3, 4})
			ds.StartTransaction()
			ds.ReadUint8()
			ds.SetStatus(StatusReadCorruptData)
			ds.RollbackTransaction()
			return fmt.Sprintf("%d %d", ds.Status(), ds.Buffered())
		},
		"start_resets_status": func() string {
			ds := NewDataStreamBytes([]byte{1})
			ds.ReadUint32()
			before := ds.Status()
			ds.StartTransaction()
			after := ds.Status()
			ds.CommitTransaction()
			return fmt.Sprintf("%d %d", before, after)
		},
		"odd_string_then_int": func() string {
			ds := NewDataStreamBytes([]byte("\x00\x00\x00\x03\x00a\x00b\x00"))
			s := ds.ReadString()
			n := ds.ReadUint16()
			return fmt.Sprintf("'%s' %d %d %d", s, n, ds.Status(), ds.Buffered())
		},
	} {
		t.Run(name, func(t *testing.T) {
			want, ok := qt[name]
			if assert.True(t, ok, "datastream_tx.py printed no %q", name) {
				assert.Equal(t, want, replay(), "slotnet differs from Qt 5")
			}
		})
	}
}
