package spy

import (
	"fmt"
	"slices"
)

// The queries treat a nil *Recorder as an empty one. In the queries and
// waits, name "" matches every signal.

// matches reports whether e counts for name.
func matches(e *Event, name string) bool { return name == "" || e.Name == name }

// Events returns a copy of the recorded events, oldest first.
func (r *Recorder) Events() []Event {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// Len returns the number of recorded events.
func (r *Recorder) Len() int {
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// Count returns the number of recorded emissions of name ("" for all).
func (r *Recorder) Count(name string) int {
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.countLocked(name)
}

func (r *Recorder) countLocked(name string) int {
	if name == "" {
		return len(r.events)
	}
	n := 0
	for i := range r.events {
		if r.events[i].Name == name {
			n++
		}
	}
	return n
}

// Names returns the name of each recorded event, oldest first: the order of
// the emissions without their arguments.
func (r *Recorder) Names() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, len(r.events))
	for i := range r.events {
		names[i] = r.events[i].Name
	}
	return names
}

// Args returns the argument of each recorded emission of name ("" for
// all), oldest first; a Signal0's is nil. Qt's QSignalSpy::at(i).at(0).
func (r *Recorder) Args(name string) []any {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var args []any
	for i := range r.events {
		if matches(&r.events[i], name) {
			args = append(args, r.events[i].Arg)
		}
	}
	return args
}

// Clear drops the recorded events; counting starts again from 0 (Seq
// goes on).
func (r *Recorder) Clear() { r.Take() }

// Take returns the recorded events, oldest first, and drops them: Qt's
// QSignalSpy::takeFirst, for all of them at once.
func (r *Recorder) Take() []Event {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ev := r.events
	r.events = nil
	return ev
}

// Sequence renders each recorded event as "name", or "name arg" for a
// signal with a value, the argument rendered by the WithFormat function or
// else with fmt's %v.
func (r *Recorder) Sequence() []string {
	ev := r.Events()
	seq := make([]string, len(ev))
	for i := range ev {
		seq[i] = r.render(&ev[i])
	}
	return seq
}

// render is one line of Sequence; it calls the user's format, so it runs
// without the lock.
func (r *Recorder) render(e *Event) string {
	if !e.hasArg {
		return e.Name
	}
	var s string
	if r.format != nil {
		s = r.format(e.Name, e.Arg)
	} else {
		s = fmt.Sprintf("%v", e.Arg)
	}
	if s == "" {
		return e.Name
	}
	return e.Name + " " + s
}
