package signal

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// snapshot is an immutable view of a signal's connections, in connection
// order. Emit works on the snapshot it loaded; Connect and Disconnect
// publish a new one (copy on write), so an emission never takes a lock.
type snapshot[F, A any] struct {
	host   *Host           // emitter; nil when unbound
	direct bool            // every connection is a plain direct one
	slots  []slot[F]       // in connection order
	queues []*queueSlot[A] // queues[i] posts slots[i]'s calls; nil if it never queues

	// stale is set when a newer snapshot replaces this one. Until then no
	// connection in it has been disconnected (every disconnect publishes a
	// new snapshot), so an all-direct emission calls its slots without
	// looking at each connection's state, and falls back to checking them
	// once stale is set: one load of a line the emission already holds
	// instead of a load per slot from each connection.
	stale atomic.Bool

	// one is the only slot when hasOne: a single plain direct connection,
	// the case Emit calls without looking further.
	one    F
	hasOne bool
}

// fast reports whether an emission may call one without looking further:
// no newer snapshot, and the emitter's signals not blocked.
func (sn *snapshot[F, A]) fast() bool {
	return !sn.stale.Load() && (sn.host == nil || !sn.host.blocked.Load())
}

// slot is one connected slot function and its connection.
type slot[F any] struct {
	fn F
	c  *Connection
}

// slotList is the shared body of Signal0 and Signal[T]: F is the slot type
// and A the argument type queued calls carry.
type slotList[F, A any] struct {
	snap atomic.Pointer[snapshot[F, A]] // nil until the first Connect or Bind

	mu   sync.Mutex             // guards n, host, keys and publishing snap
	n    *atomic.Int32          // the Signal's count of published slots
	host *Host                  // emitter; set once, by bind
	keys map[string]*Connection // live Unique connections by key

	// onPublish, if set (by the Signal's setup), is told of every snapshot
	// published, and again when the emitter's signals are blocked or
	// unblocked; l.mu held.
	onPublish func(sn *snapshot[F, A])
}

// The Signal keeps the count of published slots in its own first field
// rather than in the slotList: Emit checks it before anything else, and
// this way Emit is small enough to be inlined. Every slotList method that
// can publish first gets here with the count's address (a Connection only
// exists after connect did).

// init records where the slot count lives and, the first time, runs setup
// (if not nil), which prepares what Emit uses once the count is non-zero;
// l.mu held.
func (l *slotList[F, A]) init(n *atomic.Int32, setup func()) {
	if l.n == nil {
		if setup != nil {
			setup()
		}
		l.n = n
	}
}

// bind makes h the emitter for good and registers the signal with h, so
// that h.Destroy disconnects it; see Signal.Bind.
func (l *slotList[F, A]) bind(n *atomic.Int32, setup func(), h *Host) error {
	if h == nil {
		return fmt.Errorf("%w: nil Host", ErrBind)
	}
	l.mu.Lock()
	switch l.host {
	case h:
		l.mu.Unlock()
		return nil
	case nil:
	default:
		l.mu.Unlock()
		return ErrAlreadyBound
	}
	l.init(n, setup)
	l.host = h
	sn := *l.current()
	sn.host = h
	l.publish(&sn)
	alive := h.adopt(l) // l.mu, then h.mu: the order connect takes them in
	l.mu.Unlock()
	if !alive {
		l.disconnectAll()
		return fmt.Errorf("%w: bound to a destroyed Host", ErrDestroyed)
	}
	return nil
}

// emitter returns the bound Host, or nil. Every snapshot carries the host,
// so no lock is needed.
func (l *slotList[F, A]) emitter() *Host {
	if sn := l.snap.Load(); sn != nil {
		return sn.host
	}
	return nil
}

// connect adds a connection calling fn directly, or q when it is queued.
func (l *slotList[F, A]) connect(n *atomic.Int32, setup func(), fn F, q func(A), opts []ConnectOption) (*Connection, error) {
	cfg, recv, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init(n, setup)
	if l.host != nil && l.host.IsDestroyed() {
		return nil, fmt.Errorf("%w: the signal's emitter", ErrDestroyed)
	}
	if recv, err = l.queueTarget(cfg.kind, recv); err != nil {
		return nil, err
	}
	if _, dup := l.keys[cfg.key]; cfg.unique && dup {
		return nil, fmt.Errorf("%w: key %q", ErrDuplicateConnection, cfg.key)
	}
	c := &Connection{owner: l, recv: recv, kind: cfg.kind, single: cfg.single, key: cfg.key}
	if recv != nil && !recv.track(c) {
		return nil, ErrReceiverDestroyed
	}
	if cfg.unique {
		if l.keys == nil {
			l.keys = make(map[string]*Connection)
		}
		l.keys[cfg.key] = c
	}
	var qs *queueSlot[A]
	if c.mayQueue() {
		qs = &queueSlot[A]{c: c, fn: q}
	}
	l.publishAppend(fn, c, qs)
	return c, nil
}

// queueTarget checks that a Queued or BlockingQueued connection has a
// receiver on a loop, the bound emitter standing in for a missing receiver
// (as the sender does in Qt), and returns the receiver; l.mu held.
func (l *slotList[F, A]) queueTarget(k Kind, recv *Host) (*Host, error) {
	if k != Queued && k != BlockingQueued {
		return recv, nil
	}
	if recv == nil {
		recv = l.host
	}
	switch {
	case recv == nil:
		return nil, fmt.Errorf("%w: use To or bind the signal", ErrNoReceiver)
	case recv.Dispatcher() == nil && !recv.IsDestroyed():
		return nil, ErrNoLoop
	}
	return recv, nil
}

// publishAppend publishes a snapshot with one more connection; l.mu held.
func (l *slotList[F, A]) publishAppend(fn F, c *Connection, q *queueSlot[A]) {
	old := l.current()
	n := len(old.slots)
	sn := &snapshot[F, A]{
		host:   l.host,
		direct: old.direct && !c.single && !c.mayQueue(),
		slots:  append(old.slots[:n:n], slot[F]{fn, c}),
		queues: append(old.queues[:n:n], q),
	}
	l.publish(sn)
}

// publish makes sn the snapshot emissions use; l.mu held.
func (l *slotList[F, A]) publish(sn *snapshot[F, A]) {
	if sn.hasOne = sn.direct && len(sn.slots) == 1; sn.hasOne {
		sn.one = sn.slots[0].fn
	}
	if old := l.snap.Load(); old != nil {
		old.stale.Store(true)
	}
	l.snap.Store(sn)
	if l.n != nil {
		l.n.Store(int32(len(sn.slots)))
	}
	if l.onPublish != nil {
		l.onPublish(sn)
	}
}

// refire tells onPublish the current snapshot again: the emitter's signals
// were blocked or unblocked.
func (l *slotList[F, A]) refire() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.onPublish != nil {
		l.onPublish(l.current())
	}
}

// current returns the published snapshot, or an empty one; l.mu held.
func (l *slotList[F, A]) current() *snapshot[F, A] {
	if sn := l.snap.Load(); sn != nil {
		return sn
	}
	return &snapshot[F, A]{host: l.host, direct: true}
}

// remove unpublishes c; it is a no-op when c is not in the list.
func (l *slotList[F, A]) remove(c *Connection) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.key != "" && l.keys[c.key] == c {
		delete(l.keys, c.key)
	}
	old := l.current()
	i := slices.IndexFunc(old.slots, func(s slot[F]) bool { return s.c == c })
	if i < 0 {
		return
	}
	sn := &snapshot[F, A]{
		host:   l.host,
		direct: true,
		slots:  slices.Delete(slices.Clone(old.slots), i, i+1),
		queues: slices.Delete(slices.Clone(old.queues), i, i+1),
	}
	for _, o := range sn.slots {
		sn.direct = sn.direct && !o.c.single && !o.c.mayQueue()
	}
	l.publish(sn)
}

// disconnectAll breaks every connection.
func (l *slotList[F, A]) disconnectAll() {
	l.mu.Lock()
	old := l.current()
	l.keys = nil
	l.publish(&snapshot[F, A]{host: l.host, direct: true})
	l.mu.Unlock()
	for _, o := range old.slots {
		if c := o.c; c.kill() != stateDead {
			c.untrack()
		}
	}
}

// receivers counts the live connections.
func (l *slotList[F, A]) receivers() int {
	sn := l.snap.Load()
	if sn == nil {
		return 0
	}
	n := 0
	for _, o := range sn.slots {
		if o.c.state.Load() == stateLive {
			n++
		}
	}
	return n
}

// isConnected reports whether any connection is published.
