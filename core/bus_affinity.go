package core

import (
	"fmt"
	"runtime"
	"sync"
	"weak"

	"github.com/slotnet/slotnet/signal"
)

// loops finds the Loop of a Dispatcher, for the Bus, which knows a
// subscribing signal's Host (and so its Dispatcher) but not its Loop:
// weak.Pointer[signal.Dispatcher] → weak.Pointer[Loop]. Neither side is
// kept alive by the registry; an entry goes when its loop is collected.
var loops sync.Map

// registerLoop records l for loopOf; NewLoop calls it.
func registerLoop(l *Loop) {
	key, val := weak.Make(l.disp), weak.Make(l)
	loops.Store(key, val)
	runtime.AddCleanup(l, func(key weak.Pointer[signal.Dispatcher]) { loops.Delete(key) }, key)
}

// loopOf returns the Loop whose dispatcher d is, or nil.
func loopOf(d *signal.Dispatcher) *Loop {
	if v, ok := loops.Load(weak.Make(d)); ok {
		return v.(weak.Pointer[Loop]).Value()
	}
	return nil
}

// emitOn runs emit, a re-emission of a bus event on a signal bound to h, on
// h's loop: directly when the publisher is on that loop or h has none,
// queued to the loop otherwise. It reports an event dropped because the
// loop is closed.
func (b *Bus) emitOn(topic string, h *signal.Host, emit func()) error {
	var d *signal.Dispatcher
	if h != nil {
		d = h.Dispatcher()
	}
	if d == nil {
		emit()
		return nil
	}
	l := loopOf(d)
	switch {
	case l == nil: // a Dispatcher of the caller's own making
		d.Post(emit)
	case l.IsCurrent():
		emit()
	default:
		if err := l.Post(emit); err != nil {
			return fmt.Errorf("core: bus topic %q: event dropped, the subscribing signal's loop cannot take it: %w", topic, err)
		}
	}
	return nil
}
