package remote

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/nats-io/nats.go/micro"
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/signal"
)

// Kinds of members, as they appear in the signature.
const (
	kindSignal   = "signal"
	kindProperty = "property"
	kindSlot     = "slot"
	kindDurable  = "durable"
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// checkName accepts names of letters, digits, '-' and '_': valid as a NATS
// subject token and as a micro service or endpoint name.
func checkName(what, name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("%w: %s %q must be letters, digits, '-' or '_'", ErrInvalidName, what, name)
	}
	return nil
}

// ExposeOption configures one exposed or replicated signal.
type ExposeOption interface{ applyExpose(*exposeConfig) }

type exposeConfig struct{ durable bool }

type exposeFunc func(*exposeConfig)

func (f exposeFunc) applyExpose(c *exposeConfig) { f(c) }

// Durable marks a signal durable, on both the source and the replica: it
// travels through JetStream, so a replica that was away (with the same
// WithDurableName) replays what it missed, in order, deduplicated by
// message id. Durable signals are never counted in Missed.
func Durable() ExposeOption { return exposeFunc(func(c *exposeConfig) { c.durable = true }) }

func exposeOptions(opts []ExposeOption) exposeConfig {
	var c exposeConfig
	for _, o := range opts {
		o.applyExpose(&c)
	}
	return c
}

// ExposeSignal publishes every emission of sig under name. codec nil means
// JSON. The source connects to sig with a direct connection: the value is
// encoded and handed to NATS on the emitting goroutine, so emissions from
// one goroutine keep their order.
func ExposeSignal[T any](src *Source, name string, sig *signal.Signal[T], codec Codec[T], opts ...ExposeOption) error {
	codec = orJSON(codec)
	ec := exposeOptions(opts)
	kind := kindSignal
	if ec.durable {
		kind = kindDurable
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if err := src.addMember(member{kind: kind, name: name, schema: codec.Schema()}); err != nil {
		return err
	}
	var slot func(T)
	if ec.durable {
		src.durables++
		slot = func(v T) { emitDurable(src, name, v, codec) }
	} else {
		slot = func(v T) { src.emitSignal(name, encodeOrLog(src, name, v, codec)) }
	}
	c, err := sig.Connect(slot, signal.Direct)
	if err != nil {
		return err
	}
	src.conns = append(src.conns, c)
	return nil
}

// encodeOrLog encodes v; a failure is logged at Error level (the emitter
// cannot be told) and returns nil.
func encodeOrLog[T any](src *Source, name string, v T, codec Codec[T]) []byte {
	data, err := codec.Encode(v)
	if err != nil {
		src.log.Error("cannot encode", zap.String("member", name), zap.Error(err))
		return nil
	}
	return data
}

func (s *Source) emitSignal(name string, data []byte) {
	s.publishLocked(name, data, true, nil)
}

// publishLocked publishes one sequenced message under s.mu, then runs
// after (still under it) with the message's sequence number.
func (s *Source) publishLocked(name string, data []byte, isSignal bool, after func(seq uint64)) {
	if data == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if err := s.publish(name, data, isSignal); err != nil {
		s.log.Error("cannot publish", zap.String("member", name), zap.Bool("signal", isSignal), zap.Error(err))
	}
	if after != nil {
		after(s.seq)
	}
}

// ExposeProperty exposes a property: initial is its value now, and every
// emission of changed (its NOTIFY signal) publishes the new value and
// updates the copy that snapshots carry.
func ExposeProperty[T any](src *Source, name string, initial T, changed *signal.Signal[T], codec Codec[T]) error {
	codec = orJSON(codec)
	data, err := codec.Encode(initial)
	if err != nil {
		return fmt.Errorf("remote: property %q: %w", name, err)
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if err := src.addMember(member{kind: kindProperty, name: name, schema: codec.Schema()}); err != nil {
		return err
	}
	ps := &propState{data: data}
	src.props[name] = ps
	c, err := changed.Connect(func(v T) { src.setProperty(name, ps, encodeOrLog(src, name, v, codec)) }, signal.Direct)
	if err != nil {
		return err
	}
	src.conns = append(src.conns, c)
	return nil
}

func (s *Source) setProperty(name string, ps *propState, data []byte) {
	s.publishLocked(name, data, false, func(seq uint64) { ps.seq, ps.data = seq, data })
}

// snapshot is a source's state as a replica fetches it.
type snapshot struct {
	Proto     string                  `json:"proto"`
	Signature string                  `json:"signature"`
	Epoch     uint64                  `json:"epoch"`
	Seq       uint64                  `json:"seq"`
	Signals   uint64                  `json:"signals"`
	Props     map[string]snapshotProp `json:"props"`
}

type snapshotProp struct {
	Seq  uint64 `json:"seq"`
	Data []byte `json:"data"`
}

func (s *Source) serveSnapshot(req micro.Request) {
	s.mu.Lock()
	snap := snapshot{
		Proto: ProtoVersion, Signature: signature(s.members),
		Epoch: s.epoch, Seq: s.seq, Signals: s.signals,
		Props: make(map[string]snapshotProp, len(s.props)),
	}
	for n, p := range s.props {
		snap.Props[n] = snapshotProp{Seq: p.seq, Data: p.data}
	}
	s.mu.Unlock()
	data, err := json.Marshal(snap)
	if err == nil {
		err = req.Respond(data)
	}
	if err != nil {
		s.log.Error("cannot answer a snapshot request", zap.Error(err))
	}
}
