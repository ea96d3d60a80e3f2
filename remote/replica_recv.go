package remote

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"go.uber.org/zap"
)

// maxEarly bounds the messages kept before the first snapshot.
const maxEarly = 4096

// handle takes one published message, on the loop.
func (r *Replica) handle(m *nats.Msg) {
	switch r.state {
	case SignatureMismatch:
		return
	case Default, Uninitialized:
		if len(r.early) < maxEarly {
			r.early = append(r.early, m)
		}
		return
	}
	si, err := readHeaders(m.Header)
	if err != nil {
		r.bad(err, 0) // cannot tell what it was: not counted
		return
	}
	if si.epoch != r.pos.epoch {
		// The source restarted: follow the new epoch from its start.
		r.log.Info("new source epoch", zap.Uint64("epoch", si.epoch))
		r.pos = seqInfo{epoch: si.epoch}
		r.resetProps()
		r.suspect("new epoch")
	}
	if si.seq <= r.pos.seq {
		return // accounted for already (delivered, or counted by a snapshot)
	}
	in := r.inbound[memberOf(m.Subject)]
	sig := in == nil || in.isSignal()
	if si.seq > r.pos.seq+1 {
		r.missed(si.signals - b2u(sig) - r.pos.signals)
		r.suspect("gap")
	}
	r.pos = si
	if in == nil {
		r.bad(fmt.Errorf("%w: unknown member %q", ErrProtocol, memberOf(m.Subject)), 1)
		return
	}
	if err := in.deliver(m.Data, si.seq); err != nil {
		r.bad(err, b2u(sig))
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// bad reports an unusable message; n of its signals are missed.
func (r *Replica) bad(err error, n uint64) {
	r.log.Warn("unusable message", zap.Error(err))
	r.Error.Emit(err)
	r.missed(n)
}

func (r *Replica) missed(n uint64) {
	if n > 0 {
		r.Missed.Emit(int(n))
	}
}

// suspect marks the replica Suspect and fetches a snapshot.
func (r *Replica) suspect(why string) {
	if r.state != Valid && r.state != Suspect {
		return
	}
	r.log.Info("suspect", zap.String("why", why))
	r.setState(Suspect)
	r.fetch()
}

// fetch asks the source for a snapshot, retrying until one arrives or the
// replica closes; at most one request is under way.
func (r *Replica) fetch() {
	if r.fetching {
		return
	}
	r.fetching = r.spawn(func() {
		for {
			ctx, cancel := context.WithTimeout(r.ctx, r.cfg.callTimeout)
			msg, err := r.nc.RequestWithContext(ctx, r.subj.snapshot(), nil)
			cancel()
			if err == nil {
				r.post(func() { r.fetching = false; r.applySnapshot(msg.Data) })
				return
			}
			select {
			case <-r.ctx.Done():
				return
			case <-time.After(r.cfg.retry):
			}
		}
	})
}

// decodeSnapshot parses and checks a snapshot reply.
func decodeSnapshot(data []byte) (snapshot, error) {
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("%w: snapshot: %v", ErrProtocol, err)
	}
	if err := checkProto(s.Proto); err != nil {
		return s, err
	}
	if s.Epoch == 0 || s.Signals > s.Seq {
		return s, fmt.Errorf("%w: snapshot epoch/seq/signals out of range", ErrProtocol)
	}
	return s, nil
}

// applySnapshot takes the source's state, on the loop.
func (r *Replica) applySnapshot(data []byte) {
	s, err := decodeSnapshot(data)
	if err != nil {
		r.bad(err, 0)
		r.fetch()
		return
	}
	if s.Signature != r.Signature() {
		r.log.Error("signature mismatch", zap.String("source", s.Signature), zap.String("replica", r.Signature()))
		r.early = nil
		r.setState(SignatureMismatch)
		return
	}
	first := r.state == Default || r.state == SignatureMismatch
	r.advance(s, first)
	r.applyProps(s)
	r.setState(Valid)
	early := r.early
	r.early = nil
	for _, m := range early {
		r.handle(m)
	}
}

// advance moves the position to the snapshot's, counting as missed the
// signals between (not on the first snapshot: they were before our time).
func (r *Replica) advance(s snapshot, first bool) {
	switch {
	case first:
		r.pos = seqInfo{epoch: s.Epoch, seq: s.Seq, signals: s.Signals}
	case s.Epoch != r.pos.epoch:
		r.missed(s.Signals)
		r.resetProps()
		r.pos = seqInfo{epoch: s.Epoch, seq: s.Seq, signals: s.Signals}
	case s.Seq > r.pos.seq:
		r.missed(s.Signals - r.pos.signals)
		r.pos = seqInfo{epoch: s.Epoch, seq: s.Seq, signals: s.Signals}
	}
}

// applyProps sets the properties whose snapshot value is newer than the
// replica's.
func (r *Replica) applyProps(s snapshot) {
	for name, p := range s.Props {
		in, ok := r.inbound[name]
		if !ok || in.isSignal() {
			continue
		}
		if err := in.deliver(p.Data, p.Seq); err != nil {
			r.bad(err, 0)
		}
	}
}

// resetProps forgets the properties' sequence numbers at a new epoch.
func (r *Replica) resetProps() {
	for _, in := range r.inbound {
		if p, ok := in.(interface{ resetSeq() }); ok {
			p.resetSeq()
		}
	}
}
