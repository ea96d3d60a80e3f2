package signal

import (
	"sync"
	"sync/atomic"
)

// Receiver is an object that can be the receiver (context) of a connection:
// queued slots run on its loop and the connection dies when it is destroyed.
// core.Object implements it.
type Receiver interface {
	SignalHost() *Host
}

// Host is the per-object state that signals and connections consult: the
// object's loop (its Dispatcher), whether its signals are blocked, the
// signals bound to it (see Bind and BindSignals) and the connections that
// must die with it. core.Object embeds one. The zero Host has no loop and is
// ready to use.
type Host struct {
	disp      atomic.Pointer[Dispatcher]
	blocked   atomic.Bool
	destroyed atomic.Bool

	mu    sync.Mutex // guards conns and bound
	conns map[*Connection]struct{}
	bound []boundList // the slot lists of the signals bound to h
}

// boundList is the slot list of a signal bound to a Host, which Destroy
// empties.
type boundList interface {
	disconnectAll()
	refire()
}

// SignalHost returns h itself, so a *Host is a Receiver.
func (h *Host) SignalHost() *Host { return h }

// Dispatcher returns the loop affinity: the dispatcher of the loop the object
// lives on, or nil when it has none (blocking mode).
func (h *Host) Dispatcher() *Dispatcher { return h.disp.Load() }

// SetDispatcher changes the loop affinity.
func (h *Host) SetDispatcher(d *Dispatcher) { h.disp.Store(d) }

// BlockSignals blocks (true) or unblocks the object's signals and returns the
// previous setting. A blocked object emits nothing.
func (h *Host) BlockSignals(block bool) bool {
	was := h.blocked.Swap(block)
	if was != block {
		h.mu.Lock()
		bound := h.bound[:len(h.bound):len(h.bound)]
		h.mu.Unlock()
		for _, l := range bound {
			l.refire() // the emission fast path reads the setting there
		}
	}
	return was
}

// SignalsBlocked reports whether the object's signals are blocked.
func (h *Host) SignalsBlocked() bool { return h.blocked.Load() }

// IsDestroyed reports whether Destroy has been called.
func (h *Host) IsDestroyed() bool { return h.destroyed.Load() }

// Destroy ends the object's signals and the connections it receives: every
// signal bound to h is disconnected for good (a later Connect fails with
// ErrDestroyed and Emit does nothing, as nothing is connected), and every
// connection that has h as its receiver is disconnected (a later Connect
// with To(h) fails with ErrReceiverDestroyed). An emission already under
// way on another goroutine may still call the slots it had reached, as
// after Disconnect (see the package documentation). Idempotent.
func (h *Host) Destroy() {
	if h.destroyed.Swap(true) {
		return
	}
	h.mu.Lock()
	conns, bound := h.conns, h.bound
	h.conns, h.bound = nil, nil
	h.mu.Unlock()
	for _, l := range bound {
		l.disconnectAll()
	}
	for c := range conns {
		c.Disconnect()
	}
}

// adopt records that the signal of l is bound to h, so that Destroy
// disconnects it. It reports false if h is already destroyed.
func (h *Host) adopt(l boundList) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.destroyed.Load() {
		return false
	}
	h.bound = append(h.bound, l)
	return true
}

// track registers c to be disconnected when h is destroyed. It reports false
// if h is already destroyed.
func (h *Host) track(c *Connection) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.destroyed.Load() {
		return false
	}
	if h.conns == nil {
		h.conns = make(map[*Connection]struct{})
	}
	h.conns[c] = struct{}{}
	return true
}

// untrack forgets c (it was disconnected by other means).
func (h *Host) untrack(c *Connection) {
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
}

// loop is Dispatcher for a Host that may be nil (an unbound emitter).
func (h *Host) loop() *Dispatcher {
	if h == nil {
		return nil
	}
	return h.disp.Load()
}
