package remote

import (
	"bytes"
	"sync"

	"github.com/slotnet/slotnet/signal"
)

// ReplicaSignal declares the replica's copy of the source's signal name:
// the replica binds sig to itself (sig dies with the replica; one bound to
// another object is refused with signal.ErrAlreadyBound) and emits it on
// its loop with each value the source publishes. nil codec means JSON.
// Durable() makes it a durable signal (the source must expose it as
// durable too). Declare before Start.
func ReplicaSignal[T any](r *Replica, name string, sig *signal.Signal[T], codec Codec[T], opts ...ExposeOption) error {
	codec = orJSON(codec)
	kind := kindSignal
	if exposeOptions(opts).durable {
		kind = kindDurable
	}
	if err := sig.Bind(r.SignalHost()); err != nil {
		return err // bound to another object, or the replica is destroyed
	}
	return r.addMember(member{kind: kind, name: name, schema: codec.Schema()}, &signalIn[T]{sig: sig, codec: codec})
}

type signalIn[T any] struct {
	sig   *signal.Signal[T]
	codec Codec[T]
}

func (s *signalIn[T]) isSignal() bool { return true }

func (s *signalIn[T]) deliver(data []byte, _ uint64) error {
	v, err := s.codec.Decode(data)
	if err != nil {
		return err
	}
	s.sig.Emit(v)
	return nil
}

// Property is a replica's copy of a source's property: its value and its
// change signal, emitted on the replica's loop when the value changes.
type Property[T any] struct {
	// Changed is emitted with the new value (the property's NOTIFY signal).
	Changed signal.Signal[T]

	codec Codec[T]
	mu    sync.Mutex // guards value; Value may be read from any goroutine
	value T
	// Owned by the replica's loop.
	seq  uint64
	data []byte
}

// ReplicaProperty declares the replica's copy of the source's property
// name; it holds T's zero value until the first snapshot (QtRO's Default
// state). nil codec means JSON. Declare before Start.
func ReplicaProperty[T any](r *Replica, name string, codec Codec[T]) (*Property[T], error) {
	p := &Property[T]{codec: orJSON(codec)}
	if err := p.Changed.Bind(r.SignalHost()); err != nil {
		return nil, err // the replica is destroyed
	}
	if err := r.addMember(member{kind: kindProperty, name: name, schema: p.codec.Schema()}, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Value returns the property's value.
func (p *Property[T]) Value() T {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.value
}

func (p *Property[T]) isSignal() bool { return false }

func (p *Property[T]) resetSeq() { p.seq = 0 }

// deliver sets the value unless the replica holds a newer one, and emits
// Changed when it differs.
func (p *Property[T]) deliver(data []byte, seq uint64) error {
	if seq < p.seq {
		return nil
	}
	p.seq = seq
	if p.data != nil && bytes.Equal(p.data, data) {
		return nil
	}
	v, err := p.codec.Decode(data)
	if err != nil {
		return err
	}
	p.data = bytes.Clone(data)
	p.mu.Lock()
	p.value = v
	p.mu.Unlock()
	p.Changed.Emit(v)
	return nil
}
