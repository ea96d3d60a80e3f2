package remote

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
)

// streamName is the JetStream stream of a source's durable signals.
func (s subjects) stream() string {
	b := []byte("SLOTNET_" + s.base)
	for i, c := range b {
		if c == '.' {
			b[i] = '_'
		}
	}
	return string(b)
}

// jsTimeout bounds one JetStream API call or publish acknowledgement.
const jsTimeout = 5 * time.Second

// startStream creates or updates the stream of durable signals. Callers
// hold s.mu.
func (s *Source) startStream() error {
	if s.durables == 0 {
		return nil
	}
	js, err := jetstream.New(s.nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(s.ctx, jsTimeout)
	defer cancel()
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:       s.subj.stream(),
		Subjects:   []string{s.subj.durableAll()},
		Duplicates: 2 * time.Minute,
	})
	if err != nil {
		return fmt.Errorf("remote: source %q: durable stream: %w", s.name, err)
	}
	s.js = js
	return nil
}

// emitDurable publishes one durable signal and waits for JetStream's
// acknowledgement, under s.dmu so that the stream's order is the order of
// the message ids. The id, epoch and durable number, makes a retried
// publish a duplicate that the stream drops.
func emitDurable[T any](s *Source, name string, v T, codec Codec[T]) {
	data := encodeOrLog(s, name, v, codec)
	if data == nil {
		return
	}
	s.dmu.Lock()
	defer s.dmu.Unlock()
	s.mu.Lock()
	js, closed := s.js, s.closed
	s.mu.Unlock()
	if closed || js == nil {
		s.log.Error("durable signal emitted while the source is not started", zap.String("member", name))
		return
	}
	s.durSeq++
	id := strconv.FormatUint(s.epoch, 16) + "-" + strconv.FormatUint(s.durSeq, 10)
	msg := &nats.Msg{Subject: s.subj.durable(name), Data: data,
		Header: nats.Header{HeaderProto: []string{ProtoVersion}, jetstream.MsgIDHeader: []string{id}}}
	ctx, cancel := context.WithTimeout(s.ctx, jsTimeout)
	defer cancel()
	if _, err := js.PublishMsg(ctx, msg); err != nil {
		s.log.Error("cannot publish durable signal", zap.String("member", name), zap.Error(err))
	}
}

// startConsumer starts the replica's JetStream consumer of durable
// signals: one message in flight (MaxAckPending 1), acknowledged after its
// signal was emitted on the loop, so the replay is in order. Callers hold
// r.mu.
func (r *Replica) startConsumer() error {
	js, err := jetstream.New(r.nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.ctx, jsTimeout)
	defer cancel()
	cfg := jetstream.ConsumerConfig{
		Durable:       r.cfg.durableName,
		AckPolicy:     jetstream.AckExplicitPolicy,
		MaxAckPending: 1,
		FilterSubject: r.subj.durableAll(),
	}
	if cfg.Durable == "" {
		cfg.DeliverPolicy = jetstream.DeliverNewPolicy
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, r.subj.stream(), cfg)
	if err != nil {
		return fmt.Errorf("remote: replica %q: durable consumer: %w", r.name, err)
	}
	cc, err := cons.Consume(r.onDurable)
	if err != nil {
		return fmt.Errorf("remote: replica %q: durable consumer: %w", r.name, err)
	}
	r.consumer = cc
	return nil
}

// onDurable hands a durable message to the loop.
func (r *Replica) onDurable(m jetstream.Msg) {
	r.post(func() { r.handleDurable(m) })
}

// handleDurable emits a durable signal once, on the loop: a redelivered
// message (same stream sequence or message id as one already emitted) is
// acknowledged and dropped.
func (r *Replica) handleDurable(m jetstream.Msg) {
	meta, err := m.Metadata()
	if err != nil {
		r.bad(fmt.Errorf("%w: durable message: %v", ErrProtocol, err), 0)
		_ = m.Term()
		return
	}
	id := m.Headers().Get(jetstream.MsgIDHeader)
	if r.dedup.seen(meta.Sequence.Stream, id) {
		_ = m.Ack()
		return
	}
	r.mu.Lock()
	in := r.durables[memberOf(m.Subject())]
	r.mu.Unlock()
	switch {
	case in == nil:
		r.bad(fmt.Errorf("%w: unknown durable member %q", ErrProtocol, memberOf(m.Subject())), 0)
	default:
		if err := in.deliver(m.Data(), 0); err != nil {
			r.bad(err, 0)
		}
	}
	r.dedup.add(meta.Sequence.Stream, id)
	if err := m.Ack(); err != nil {
		r.log.Warn("cannot acknowledge a durable signal", zap.Error(err))
	}
}

// durableDedup remembers the last stream sequence and the recent message
// ids of durable signals already emitted.
type durableDedup struct {
	last uint64
	ids  map[string]struct{}
	ring []string
}

const dedupWindow = 1024

func (d *durableDedup) seen(seq uint64, id string) bool {
	if seq != 0 && seq <= d.last {
		return true
	}
	_, ok := d.ids[id]
	return id != "" && ok
}

func (d *durableDedup) add(seq uint64, id string) {
	d.last = max(d.last, seq)
	if id == "" {
		return
	}
	if d.ids == nil {
		d.ids = map[string]struct{}{}
	}
	if len(d.ring) == dedupWindow {
		delete(d.ids, d.ring[0])
		d.ring = d.ring[1:]
	}
	d.ids[id] = struct{}{}
	d.ring = append(d.ring, id)
}
