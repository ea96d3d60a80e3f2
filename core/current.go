package core

import "weak"

// CurrentLoop returns the loop whose events the calling goroutine is
// processing right now (through Run, Start or ProcessEvents), or nil when
// it is processing none: Qt's QThread::currentThread() turned into a loop.
// A slot or an event can use it to learn where it runs; the spy package
// records it with each emission.
//
// It looks through every live loop, so its cost grows with their number
// (one atomic load each): it is meant for tests and diagnostics, not for hot
// paths, where Loop.IsCurrent on a known loop costs a few nanoseconds. In
// the rare case of a goroutine processing the events of two loops at once
// (an event of one calls the other's ProcessEvents), it returns one of them.
func CurrentLoop() *Loop {
	id := goid()
	var cur *Loop
	loops.Range(func(_, v any) bool {
		l := v.(weak.Pointer[Loop]).Value()
		if l != nil && l.owner.Load() == id {
			cur = l
			return false
		}
		return true
	})
	return cur
}
