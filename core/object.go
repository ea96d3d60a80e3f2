package core

import (
	"sync"
	"sync/atomic"

	"github.com/slotnet/slotnet/signal"
)

// Object is Qt's QObject: the unit of loop affinity, ownership (a parent
// destroys its children) and signal blocking, and the receiver that
// connections made with signal.To die with. Types with signals of their own
// embed a *Object and bind their signals to it with one call to
// BindSignals in their constructor.
//
// An Object's methods are meant to be called from its loop (or, in blocking
// mode, from the goroutine that uses it), as in Qt; they are nevertheless
// safe from any goroutine, except ProcessEvents and WaitForEvents. Create
// objects with NewObject (or a constructor embedding one, such as NewTimer).
type Object struct {
	// Destroyed is emitted by Destroy with the object itself, before its
	// children are destroyed, even when its signals are blocked (Qt 5's
	// destroyed()).
	Destroyed signal.Signal[*Object]
	// ObjectNameChanged is emitted with the new name when it changes.
	ObjectNameChanged signal.Signal[string]

	host        signal.Host
	loop        atomic.Pointer[Loop]
	destroyed   atomic.Bool
	events      *eventQueue          // internal events: see PostEvent
	pumpOn      atomic.Pointer[Loop] // the loop a pump of the events is posted to
	deleteLater atomic.Bool          // DeleteLater was called

	mu       sync.Mutex // guards name, parent, children, hooks, moved
	name     string
	parent   *Object
	children []*Object
	hooks    []func()               // destroy hooks, run last first
	moved    []func(from, to *Loop) // affinity-change hooks (timers)
}

// NewObject returns an object. Options: WithLoop (its loop; none means
// blocking mode), WithParent (it becomes the parent's child and takes its
// loop), WithName (its object name). It fails with ErrDestroyed when the
// parent is destroyed, ErrParentLoop when WithLoop names another loop than
// the parent's, and ErrLoopClosed when the loop is closed.
func NewObject(opts ...ObjectOption) (*Object, error) {
	return newObject(objectConfig(opts))
}

func newObject(c config) (*Object, error) {
	loop := c.loop
	if c.hasParent {
		if c.parent.IsDestroyed() {
			return nil, ErrDestroyed
		}
		pl := c.parent.Loop()
		if loop != nil && loop != pl {
			return nil, ErrParentLoop
		}
		loop = pl
	}
	if loop != nil && loop.IsClosed() {
		return nil, ErrLoopClosed
	}
	o := &Object{name: c.name, events: newEventQueue()}
	if err := o.BindSignals(o); err != nil {
		return nil, err // cannot happen: a new object binds its own signals
	}
	o.setLoop(loop)
	if c.hasParent {
		if err := o.SetParent(c.parent); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// BindSignals makes the signals of owner — the value of a type that embeds
// the object — the object's own: every signal field of the struct owner
// points to (signal.Signal[T], signal.Signal0, exported or not, also inside
// struct and array fields) is bound to the object for good. They are then
// blocked by BlockSignals, their Auto connections compare the object's
// loop, and destroying the object (directly, through its parent or with
// DeleteLater) disconnects them after the destroy hooks and Destroyed have
// run: a later Connect fails with ErrDestroyed and Emit does nothing. Call
// it once, in the constructor, right after building the value:
//
//	s := &Socket{Object: obj}
//	if err := obj.BindSignals(s); err != nil {
//		return nil, err
//	}
//
// The fields are found by reflection once per type, never on an emission.
// It fails with signal.ErrBind unless owner is a non-nil pointer to a
// struct, with signal.ErrAlreadyBound for a field bound to another object,
// and with ErrDestroyed on a destroyed object. A forgotten call does not go
// unnoticed: connecting with signal.To(s) fails with signal.ErrUnbound
// while s has an unbound signal field. See signal.Host.BindSignals.
func (o *Object) BindSignals(owner any) error { return o.SignalHost().BindSignals(owner) }

// SignalHost returns the object's signal.Host, which makes *Object a
// signal.Receiver. BindSignals binds the signals of an embedding type to
// it; a single signal can also be bound with Bind:
//
//	s.Extra.Bind(obj.SignalHost())
func (o *Object) SignalHost() *signal.Host {
	if o == nil {
		return nil // signal.To((*Object)(nil)) is refused with ErrInvalidOption
	}
	return &o.host
}

// ObjectName returns the object's name ("" when unnamed).
func (o *Object) ObjectName() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.name
}

// SetObjectName renames the object and emits ObjectNameChanged if the name
// changed.
func (o *Object) SetObjectName(name string) {
	o.mu.Lock()
	changed := o.name != name
	o.name = name
	o.mu.Unlock()
	if changed {
		o.ObjectNameChanged.Emit(name)
	}
}

// BlockSignals blocks (true) or unblocks the object's signals, including
// those of an embedding type bound to SignalHost, and returns the previous
// setting. A blocked object emits nothing, except Destroyed.
func (o *Object) BlockSignals(block bool) bool { return o.host.BlockSignals(block) }

// SignalsBlocked reports whether the object's signals are blocked.
func (o *Object) SignalsBlocked() bool { return o.host.SignalsBlocked() }

// IsDestroyed reports whether Destroy has been called.
func (o *Object) IsDestroyed() bool { return o.destroyed.Load() }

// AddDestroyHook registers fn to run when the object is destroyed, before
// Destroyed is emitted (as a derived class's destructor runs before
// QObject's). Hooks run last registered first. An embedding type uses it to
// release what it holds (a socket aborts its connection), so that
// destruction through a parent also reaches it. On a destroyed object fn is
// not kept.
func (o *Object) AddDestroyHook(fn func()) {
	if fn == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.destroyed.Load() {
		o.hooks = append(o.hooks, fn)
	}
}

// Destroy destroys the object, in Qt 5's order: the destroy hooks run; the
// object's signals are unblocked and Destroyed is emitted; every signal
// bound to the object (Destroyed, ObjectNameChanged and those of an
// embedding type, see BindSignals) is disconnected for good, and so are
// the connections that have the object as receiver (signal.Host.Destroy);
// the children are destroyed, each the same way, in order (so the whole
// tree goes depth-first, every parent's Destroyed before its children's);
// last the object leaves its parent. Destroy is idempotent. Call it on the object's
// loop; from elsewhere use DeleteLater.
func (o *Object) Destroy() {
	o.mu.Lock()
	if o.destroyed.Swap(true) {
		o.mu.Unlock()
		return
	}
	hooks := o.hooks
	o.hooks, o.moved = nil, nil
	o.mu.Unlock()
	o.events.nudge() // a WaitForEvents on another goroutine returns ErrDestroyed
	for i := len(hooks) - 1; i >= 0; i-- {
		hooks[i]()
	}
	o.host.BlockSignals(false)
	o.Destroyed.Emit(o)
	o.host.Destroy()
	o.destroyChildren()
	o.leaveParent()
}

// DeleteLater destroys the object from its loop once control returns there:
// Qt's deleteLater. It is queued as an internal event (see PostEvent), so an
// object in blocking mode is destroyed by its next ProcessEvents or
// WaitForEvents. On an object whose loop is closed there is no later: it is
// destroyed at once, on the calling goroutine (and a DeleteLater still
// pending when the loop closes destroys the object in Close). Safe from any
// goroutine; calling it twice is harmless.
func (o *Object) DeleteLater() {
	if l := o.loop.Load(); l != nil && l.IsClosed() {
		o.Destroy()
		return
	}
	o.deleteLater.Store(true)
	o.PostEvent(o.Destroy)
}
