package signal

import "sync/atomic"

// Signal is a signal carrying one value of type T to func(T) slots. The
// zero Signal is ready to use, unbound (no emitter object: it has no loop
// and is never blocked). A Signal must not be copied after first use.
//
// A bound signal (Bind, Host.BindSignals) is part of its object: it is
// blocked with it, Auto connections compare its loop, and destroying the
// object (Host.Destroy) disconnects it for good: Connect then fails with
// ErrDestroyed, and Emit does nothing.
//
// Several values travel as one struct T; Signal0 is the signal without
// arguments.
type Signal[T any] struct {
	n    atomic.Int32 // published slots; see slotList
	fire func(T)      // the body of Emit; see setFire
	l    slotList[func(T), T]
}

// Bind makes h the object that emits the signal, for the signal's life:
// Emit then does nothing while h's signals are blocked, Auto and
// BlockingQueued connections compare h's loop with the receiver's, and
// h.Destroy disconnects every connection of the signal and refuses new ones
// (ErrDestroyed). Binding again to the same Host does nothing; binding to
// another fails with ErrAlreadyBound, and a nil h with ErrBind. Bound to a
// Host that is already destroyed, the signal is dead at once, and Bind
// says so with ErrDestroyed. Types that embed a core.Object bind all their
// signals with one call, core.Object.BindSignals (Host.BindSignals).
func (s *Signal[T]) Bind(h *Host) error { return s.l.bind(&s.n, s.setFire, h) }

// Emitter returns the Host set by Bind, or nil.
func (s *Signal[T]) Emitter() *Host { return s.l.emitter() }

// Connect connects slot to the signal; see ConnectOption for the options.
// It fails with ErrNilSlot for a nil slot, ErrDuplicateConnection when a
// UniqueConnection key is taken, ErrDestroyed when the signal's emitter is
// destroyed, ErrReceiverDestroyed when the receiver is, ErrUnbound when the
// receiver has a signal field left unbound, and ErrNoReceiver or ErrNoLoop
// for a queued connection with nowhere to post to.
func (s *Signal[T]) Connect(slot func(T), opts ...ConnectOption) (*Connection, error) {
	if slot == nil {
		return nil, ErrNilSlot
	}
	return s.l.connect(&s.n, s.setFire, slot, slot, opts)
}

// Emit calls every slot with v, in connection order, each as its
// connection's kind says: a queued call gets a copy of v later on its loop,
// and a BlockingQueued call makes Emit wait for it. Emit does nothing while
// the emitter's signals are blocked. A direct slot's panic propagates to
// the caller of Emit. After the emitter is destroyed Emit does nothing (the
// signal has no connections left). Emit is safe from any goroutine.
func (s *Signal[T]) Emit(v T) {
	if s.n.Load() != 0 { // kept this small so Emit inlines
		s.fire(v)
	}
}

// setFire sets fire, the body of Emit for a connected signal; slotList.init
// calls it, once, under l.mu, before the slot count is first published.
// With only plain direct connections an emission is a loop over the slots
// with one atomic load per slot, so that a slot disconnected during the
// emission is skipped.
//
// Emit inlines into its caller, so its argument is a temporary there, built
// field by field in 8-byte stores. Handed to a method of Signal[T], a value
// of more than seven words goes on the stack (the receiver and the generic
// dictionary take two of the nine argument registers), copied in 16-byte
// moves that cannot be forwarded from those stores: that stall made a
// 64-byte struct cost 3.3x the plain []func(T) loop, against 1.5x for an
// int. A func value takes neither a receiver nor a dictionary argument, so
// the value travels in registers, loaded word by word, as in the plain
// loop. (setFire is not inlined so that the closure is compiled on its own,
// with its atomic loads inlined.)
//
//go:noinline
func (s *Signal[T]) setFire() {
	s.fire = func(v T) {
		sn := s.l.snap.Load()
		if h := sn.host; h != nil && h.blocked.Load() {
			return
		}
		if !sn.direct {
			emitRouted(sn, v, callSlot[T])
			return
		}
		slots := sn.slots
		if len(slots) == 1 { // the common case, without the loop's spills
			if !sn.stale.Load() || slots[0].c.state.Load() == stateLive {
				slots[0].fn(v)
			}
			return
		}
		for i := range slots {
			if sn.stale.Load() { // something changed: check each connection from here on
				emitChecked(slots[i:], v)
				return
			}
			slots[i].fn(v)
		}
	}
}

// emitChecked calls the slots whose connections are still live.
func emitChecked[T any](slots []slot[func(T)], v T) {
	for _, o := range slots {
		if o.c.state.Load() == stateLive {
			o.fn(v)
		}
	}
}

// emitRouted is Emit for a signal with queued, single-shot or Auto
// connections: each call goes where its connection's route says. F is the
// slot type and call applies a slot to the argument, so Signal0 and Signal
// share it.
func emitRouted[F, A any](sn *snapshot[F, A], arg A, call func(F, A)) {
	from := sn.host.loop()
	for i, o := range sn.slots {
		c := o.c
		if !c.claim() {
			continue
		}
		switch r, to := c.route(from); r {
		case routeDirect:
			if c.spend() {
				call(o.fn, arg)
			}
		case routeQueued:
			sn.queues[i].post(to, arg)
		case routeBlocking:
			sn.queues[i].postWait(to, arg)
		}
	}
}

// callSlot applies a func(T) slot.
func callSlot[T any](f func(T), v T) { f(v) }

// IsConnected reports whether the signal has any connection. It costs one
// atomic load, so an emitter can skip building a costly value.
func (s *Signal[T]) IsConnected() bool { return s.n.Load() != 0 }

// Receivers returns the number of live connections.
func (s *Signal[T]) Receivers() int { return s.l.receivers() }

// DisconnectAll breaks every connection of the signal.
func (s *Signal[T]) DisconnectAll() { s.l.disconnectAll() }
