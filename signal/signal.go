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
	fire atomic.Pointer[func(T)] // what Emit calls; nil: nothing; see setFire
	n    atomic.Int32            // published slots; see slotList
	body func(T)                 // the general body of Emit; see setFire
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
	if f := s.fire.Load(); f != nil { // kept this small so Emit inlines
		(*f)(v)
	}
}

// setFire prepares what Emit calls; slotList.init calls it, once, under
// l.mu, before anything is published. From then on every published snapshot
// sets fire (publishFire): nil when nothing is connected; the slot itself
// when the one connection is a plain direct one and the emitter is not
// blocked — the common case, which then costs what a call through a
// []func(T) costs; body otherwise.
//
// Why not a check inside one body: Emit inlines into its caller and passes
// its argument in registers, but any function that tests a few conditions
// before calling the slot had the register allocator spill the whole
// payload on entry and reload it for the call — 8 stores and 8 loads for a
// 64-byte struct, which kept it at 2.0–2.3x the plain loop. (Earlier, a
// method of Signal[T] lost two argument registers to the receiver and the
// generic dictionary, so such a payload went on the stack: 3.3x.) Taking
// the decision when a snapshot is published, not on each emission, leaves
// nothing between Emit and the slot.
//
// The decision reads the snapshot and the emitter's blocked setting, so
// BlockSignals publishes it again (Host.BlockSignals, slotList.refire).
// An emission that loaded fire before a Disconnect made on another
// goroutine may still call that slot: the guarantee the package documents.
//
//go:noinline
func (s *Signal[T]) setFire() {
	s.body = func(v T) {
		sn := s.l.snap.Load()
		if sn.hasOne && sn.fast() {
			sn.one(v)
			return
		}
		fireSlow(v, sn)
	}
	s.l.onPublish = s.publishFire
}

// publishFire sets what Emit calls for snapshot sn; l.mu held.
func (s *Signal[T]) publishFire(sn *snapshot[func(T), T]) {
	switch {
	case len(sn.slots) == 0:
		s.fire.Store(nil)
	case sn.hasOne && (sn.host == nil || !sn.host.blocked.Load()):
		s.fire.Store(&sn.one) // sn is immutable and lives as long as needed
	default:
		s.fire.Store(&s.body)
	}
}

// fireSlow is the rest of Emit's body: a blocked emitter, several slots, a
// changed snapshot, or connections that are not plain direct ones.
//
//go:noinline
func fireSlow[T any](v T, sn *snapshot[func(T), T]) {
	if h := sn.host; h != nil && h.blocked.Load() {
		return
	}
	if !sn.direct {
		emitRouted(sn, v, callSlot[T])
		return
	}
	slots := sn.slots
	for i := range slots {
		if sn.stale.Load() { // something changed: check each connection from here on
			emitChecked(slots[i:], v)
			return
		}
		slots[i].fn(v)
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
