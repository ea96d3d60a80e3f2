package signal

import "sync/atomic"

// Signal0 is a signal without arguments, connected to func() slots. The
// zero Signal0 is ready to use, unbound. A Signal0 must not be copied after
// first use. Its methods behave as Signal's.
type Signal0 struct {
	n atomic.Int32 // published slots; see slotList
	l slotList[func(), struct{}]
}

// Bind makes h the object that emits the signal, for the signal's life
// (see Signal.Bind).
func (s *Signal0) Bind(h *Host) error { return s.l.bind(&s.n, nil, h) }

// Emitter returns the Host set by Bind, or nil.
func (s *Signal0) Emitter() *Host { return s.l.emitter() }

// Connect connects slot to the signal (see Signal.Connect).
func (s *Signal0) Connect(slot func(), opts ...ConnectOption) (*Connection, error) {
	if slot == nil {
		return nil, ErrNilSlot
	}
	return s.l.connect(&s.n, nil, slot, func(struct{}) { slot() }, opts)
}

// Emit calls every slot, in connection order (see Signal.Emit).
func (s *Signal0) Emit() {
	if s.n.Load() != 0 {
		s.emit()
	}
}

// emit is Emit for a connected signal (see Signal.emit).
func (s *Signal0) emit() {
	sn := s.l.snap.Load()
	if h := sn.host; h != nil && h.blocked.Load() {
		return
	}
	if !sn.direct {
		emitRouted(sn, struct{}{}, callSlot0)
		return
	}
	slots := sn.slots
	if len(slots) == 1 { // the common case, without the loop's spills
		if !sn.stale.Load() || slots[0].c.state.Load() == stateLive {
			slots[0].fn()
		}
		return
	}
	for i := range slots {
		if sn.stale.Load() { // something changed: check each connection from here on
			emitChecked0(slots[i:])
			return
		}
		slots[i].fn()
	}
}

// emitChecked0 calls the slots whose connections are still live.
func emitChecked0(slots []slot[func()]) {
	for _, o := range slots {
		if o.c.state.Load() == stateLive {
			o.fn()
		}
	}
}

// callSlot0 applies a func() slot; Signal0's calls carry struct{}.
func callSlot0(f func(), _ struct{}) { f() }

// IsConnected reports whether the signal has any connection, at the cost
// of one atomic load.
func (s *Signal0) IsConnected() bool { return s.n.Load() != 0 }

// Receivers returns the number of live connections.
func (s *Signal0) Receivers() int { return s.l.receivers() }

// DisconnectAll breaks every connection of the signal.
func (s *Signal0) DisconnectAll() { s.l.disconnectAll() }
