package signal

import "sync/atomic"

// Connection states. A connection starts live; a single-shot connection
// that an emission claimed but has not called yet (its call is queued) is
// fired, and ran once its slot has been called; a disconnected connection
// (a cancelled single-shot one included) is dead. Ran and dead are final.
const (
	stateLive int32 = iota
	stateFired
	stateRan
	stateDead
)

// Connection is the handle Connect returns, the counterpart of Qt's
// QMetaObject::Connection: it can disconnect itself and say whether it is
// still connected. It is safe to use from any goroutine.
type Connection struct {
	state  atomic.Int32
	owner  remover // the signal's slot list
	recv   *Host   // receiver; nil when the connection has none
	kind   Kind
	single bool
	key    string // Unique key, "" when none
}

// remover is the slot list a connection belongs to.
type remover interface {
	remove(c *Connection)
}

// Connected reports whether the connection is still connected. A
// single-shot connection stops being connected as soon as an emission
// claims it.
func (c *Connection) Connected() bool {
	return c != nil && c.owner != nil && c.state.Load() == stateLive
}

// Disconnect breaks the connection and reports whether it was connected.
// The slot is not called by later emissions, nor later in an emission under
// way on the same goroutine, nor for queued calls whose delivery has not
// started (this also cancels the pending call of a single-shot connection
// that has fired but not run). A call already under way on another
// goroutine is not waited for: see "Disconnecting from another goroutine"
// in the package documentation. Disconnecting twice is harmless.
func (c *Connection) Disconnect() bool {
	if c == nil || c.owner == nil { // nil owner: not made by Connect
		return false
	}
	old := c.kill()
	if old == stateDead || old == stateRan {
		return false
	}
	c.owner.remove(c)
	c.untrack()
	return old == stateLive
}

// Ran reports whether the slot of a single-shot connection has been called
// (it may still be running). A fired call still queued is not yet either:
// after Disconnect, or once the receiver is destroyed, the answer is final,
// so the connection's owner tells a slot that ran from one that was
// cancelled with Disconnect, then Ran. For other connections it is false.
func (c *Connection) Ran() bool { return c != nil && c.state.Load() == stateRan }

// kill makes c dead unless it is final already, and returns its previous
// state.
func (c *Connection) kill() int32 {
	for {
		old := c.state.Load()
		if old == stateDead || old == stateRan || c.state.CompareAndSwap(old, stateDead) {
			return old
		}
	}
}

// untrack stops the receiver from holding c.
func (c *Connection) untrack() {
	if c.recv != nil {
		c.recv.untrack(c)
	}
}

// claim reports whether an emission may call c. A single-shot connection
// is claimed by exactly one emission, which also removes it from the signal.
func (c *Connection) claim() bool {
	if !c.single {
		return c.state.Load() == stateLive
	}
	if !c.state.CompareAndSwap(stateLive, stateFired) {
		return false
	}
	c.owner.remove(c)
	return true
}

// spend finishes a fired single-shot connection right before its slot runs;
// it reports false if the connection was disconnected in between. For any
// other connection it reports whether c is live.
func (c *Connection) spend() bool {
	switch c.state.Load() {
	case stateLive:
		return true
	case stateFired:
		if !c.state.CompareAndSwap(stateFired, stateRan) {
			return false
		}
		c.untrack()
		return true
	}
	return false
}

// deliverable reports whether a queued call of c may run now: the
// connection is not disconnected and its receiver is not destroyed.
func (c *Connection) deliverable() bool {
	if c.recv != nil && c.recv.IsDestroyed() {
		return false
	}
	return c.spend()
}

// mayQueue reports whether an emission can post c's calls to a loop.
func (c *Connection) mayQueue() bool { return c.kind != Direct && c.recv != nil }

// route says how one emission reaches a slot.
type route uint8

const (
	routeDirect route = iota
	routeQueued
	routeBlocking
)

// route decides, for an emission from loop from (nil: no loop), whether c's
// slot runs directly or is posted, and to which dispatcher.
func (c *Connection) route(from *Dispatcher) (route, *Dispatcher) {
	if !c.mayQueue() {
		return routeDirect, nil
	}
	to := c.recv.Dispatcher()
	switch {
	case to == nil:
		return routeDirect, nil // the receiver left its loop: nowhere to post
	case c.kind == Queued:
		return routeQueued, to
	case to == from:
		return routeDirect, nil // Auto on one loop; BlockingQueued would deadlock
	case c.kind == BlockingQueued:
		return routeBlocking, to
	}
	return routeQueued, to
}
