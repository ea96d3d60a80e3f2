package core

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/internal/qtcompat"
	"github.com/slotnet/slotnet/signal"
)

// qtBehaviour runs testdata/qt_behaviour.py under real Qt 5 and returns its
// "name: value" lines, or skips when PyQt5 is missing.
func qtBehaviour(t *testing.T) map[string]string {
	t.Helper()
	return qtcompat.Run(t, "PyQt5.QtCore", "testdata/qt_behaviour.py")
}

// TestBehaviourMatchesQt replays each scenario of qt_behaviour.py with
// slotnet and requires the same observable result as real Qt 5.
func TestBehaviourMatchesQt(t *testing.T) {
	qt := qtBehaviour(t)
	for name, replay := range map[string]func(t *testing.T) string{
		"destruction_order":        slotnetDestructionOrder,
		"destroyed_while_blocked":  slotnetDestroyedWhileBlocked,
		"disconnect_during_emit":   slotnetDisconnectDuringEmit,
		"connect_during_emit":      slotnetConnectDuringEmit,
		"blocked_emits_nothing":    slotnetBlockedEmitsNothing,
		"inactive_timer_remaining": slotnetInactiveTimerRemaining,
	} {
		t.Run(name, func(t *testing.T) {
			want, ok := qt[name]
			require.True(t, ok, "qt_behaviour.py printed no %q", name)
			assert.Equal(t, want, replay(t), "slotnet differs from Qt 5")
		})
	}
}

func slotnetDestructionOrder(t *testing.T) string {
	l := NewLoop()
	defer l.Close()
	var log []string
	root, _, _, _ := tree(t, l, &log)
	root.DeleteLater()
	l.ProcessEvents()
	return strings.Join(log, ",")
}

func slotnetDestroyedWhileBlocked(t *testing.T) string {
	var log []string
	o := newObj(t, WithName("blocked"))
	_, err := o.Destroyed.Connect(func(x *Object) { log = append(log, x.ObjectName()) })
	require.NoError(t, err)
	o.BlockSignals(true)
	o.DeleteLater()
	o.ProcessEvents()
	return strings.Join(log, ",")
}

func slotnetDisconnectDuringEmit(t *testing.T) string {
	var log []string
	var sig signal.Signal[int]
	var second *signal.Connection
	_, err := sig.Connect(func(v int) {
		log = append(log, fmt.Sprint("first", v))
		if v == 1 {
			second.Disconnect()
		}
	})
	require.NoError(t, err)
	second, err = sig.Connect(func(v int) { log = append(log, fmt.Sprint("second", v)) })
	require.NoError(t, err)
	sig.Emit(1)
	sig.Emit(2)
	return strings.Join(log, ",")
}

func slotnetConnectDuringEmit(t *testing.T) string {
	var log []string
	var sig signal.Signal[int]
	late := func(v int) { log = append(log, fmt.Sprint("late", v)) }
	_, err := sig.Connect(func(v int) {
		log = append(log, fmt.Sprint("first", v))
		if v == 1 {
			_, err := sig.Connect(late)
			assert.NoError(t, err)
		}
	})
	require.NoError(t, err)
	sig.Emit(1)
	sig.Emit(2)
	return strings.Join(log, ",")
}

func slotnetBlockedEmitsNothing(t *testing.T) string {
	var log []string
	o := newObj(t)
	var sig signal.Signal[int]
	sig.Bind(o.SignalHost())
	_, err := sig.Connect(func(v int) { log = append(log, fmt.Sprint(v)) })
	require.NoError(t, err)
	o.BlockSignals(true)
	sig.Emit(1)
	o.BlockSignals(false)
	sig.Emit(2)
	return strings.Join(log, ",")
}

func slotnetInactiveTimerRemaining(t *testing.T) string {
	l := NewLoop()
	defer l.Close()
	tm, err := NewTimer(WithLoop(l))
	require.NoError(t, err)
	tm.SetInterval(1000_000_000)
	return fmt.Sprint(int64(tm.RemainingTime()))
}
