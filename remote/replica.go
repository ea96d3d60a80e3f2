package remote

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/signal"
)

// Replica is the counterpart of a Source in another process
// (QRemoteObjectReplica): the same typed signals and properties, emitted on
// the replica's loop. Declare its members with ReplicaSignal,
// ReplicaProperty and ReplicaSlot, then Start. A Replica is a core.Object:
// its signals, and the replica signals declared on it, are bound to it and
// their connections die with it (Destroy also closes the replica).
type Replica struct {
	*core.Object

	// StateChanged is emitted on every change of State (QtRO's stateChanged).
	StateChanged signal.Signal[StateChange]
	// Missed is emitted with the number of signals the replica will never
	// emit: published by the source but lost (a gap, a slow-consumer drop,
	// a disconnect) or undecodable. Per source epoch, emitted signals plus
	// missed ones equal the signals the source published since the
	// replica's first snapshot.
	Missed signal.Signal[int]
	// Error is emitted for a message the replica could not use (bad
	// headers, a payload that does not decode), which is also missed.
	Error signal.Signal[error]

	nc   *nats.Conn
	loop *core.Loop
	name string
	subj subjects
	cfg  config
	log  *zap.Logger

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // joins the replica's goroutines

	qmu   sync.Mutex // guards queue and spare
	qcond *sync.Cond // signalled when the loop took a batch, or at Close
	queue []*nats.Msg
	spare []*nats.Msg

	// mu guards the fields below until the loop-owned ones.
	mu       sync.Mutex
	inbound  map[string]inbound
	durables map[string]inbound
	schema   []member
	started  bool
	closed   bool
	sub      *nats.Subscription
	status   chan nats.Status
	consumer jetstream.ConsumeContext

	// Owned by the loop.
	state    State
	pos      seqInfo
	fetching bool
	early    []*nats.Msg // published messages before the first snapshot
	dedup    durableDedup
}

// inbound receives one member's published values on the loop.
type inbound interface {
	deliver(data []byte, seq uint64) error
	isSignal() bool
}

// NewReplica returns a replica of the source name, living on loop (which
// must not be nil). Its object options (a name, a parent) go in objOpts.
func NewReplica(nc *nats.Conn, loop *core.Loop, name string, opts []Option, objOpts ...core.ObjectOption) (*Replica, error) {
	cfg := newConfig(opts)
	if err := checkName("source", name); err != nil {
		return nil, err
	}
	if nc == nil || loop == nil {
		return nil, fmt.Errorf("remote: replica %q needs a NATS connection and a loop", name)
	}
	obj, err := core.NewObject(append(objOpts, core.WithLoop(loop))...)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Replica{
		Object: obj, nc: nc, loop: loop, name: name, subj: newSubjects(cfg.prefix, name), cfg: cfg,
		log: cfg.log.Named("remote").With(zap.String("replica", name)),
		ctx: ctx, cancel: cancel,
		inbound: map[string]inbound{}, durables: map[string]inbound{},
	}
	r.qcond = sync.NewCond(&r.qmu)
	if err := obj.BindSignals(r); err != nil { // cannot fail: a new object
		cancel()
		obj.Destroy()
		return nil, err
	}
	obj.AddDestroyHook(func() { _ = r.Close() })
	return r, nil
}

// State returns the replica's state. Call it on the replica's loop.
func (r *Replica) State() State {
	if r.loop.IsCurrent() {
		return r.state
	}
	var s State
	if r.loop.Invoke(func() { s = r.state }) != nil {
		return r.state
	}
	return s
}

// Signature returns the hash of the interface the replica expects.
func (r *Replica) Signature() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return signature(r.schema)
}

// addMember declares a member before Start; in receives its messages
// (nil for slots).
func (r *Replica) addMember(m member, in inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	schema, err := appendMember(r.schema, m, lifecycle{started: r.started, closed: r.closed})
	if err != nil {
		return err
	}
	r.schema = schema
	switch {
	case m.kind == kindDurable:
		r.durables[m.name] = in
	case in != nil:
		r.inbound[m.name] = in
	}
	return nil
}

// setState changes the state on the loop and emits StateChanged.
func (r *Replica) setState(s State) {
	if r.state == s {
		return
	}
	old := r.state
	r.state = s
	r.log.Debug("state", zap.Stringer("state", s), zap.Stringer("old", old))
	r.StateChanged.Emit(StateChange{State: s, Old: old})
}

// post runs fn on the replica's loop unless the replica is closed.
func (r *Replica) post(fn func()) {
	_ = r.loop.Post(func() {
		if r.ctx.Err() == nil {
			fn()
		}
	})
}

// Close stops the replica: it unsubscribes, stops its durable consumer
// (which stays on the server for a later replica with the same durable
// name) and joins its goroutines. It does not close the NATS connection.
func (r *Replica) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	sub, st, cons := r.sub, r.status, r.consumer
	r.mu.Unlock()
	r.cancel()
	r.qmu.Lock()
	r.qcond.Broadcast() // release a delivery goroutine waiting for room
	r.qmu.Unlock()
	var err error
	if sub != nil {
		if err = sub.Unsubscribe(); errors.Is(err, nats.ErrConnectionClosed) {
			err = nil // the caller closed the connection first: the subscription is gone
		}
	}
	if st != nil {
		r.nc.RemoveStatusListener(st)
	}
	if cons != nil {
		cons.Stop()
		<-cons.Closed()
	}
	r.wg.Wait()
	return err
}

// spawn runs fn on a goroutine that Close joins, unless the replica is
// closed: Close sets closed under mu before it waits, so no goroutine
// starts after the wait began.
func (r *Replica) spawn(fn func()) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		fn()
	}()
	return true
}
