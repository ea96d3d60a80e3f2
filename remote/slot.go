package remote

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
	"go.uber.org/zap"
)

// Slot codes a SlotError carries when the failure is not the slot's own.
const (
	CodeBadRequest = "400" // the request could not be decoded
	CodeInternal   = "500" // the slot returned a plain error, or its reply could not be encoded
)

// ExposeSlot makes fn callable from replicas (a QtRO slot), as a NATS
// request/reply on the source's micro service. fn runs on the NATS client's
// delivery goroutine of this slot, one call at a time; ctx is cancelled
// when the source closes. An error that fn returns reaches the caller as a
// *SlotError: its own code and message if it is one (NewSlotError), else
// code "500" and err.Error(). nil codecs mean JSON.
func ExposeSlot[Req, Resp any](src *Source, name string, fn func(ctx context.Context, req Req) (Resp, error), reqCodec Codec[Req], respCodec Codec[Resp]) error {
	if fn == nil {
		return fmt.Errorf("remote: slot %q: nil function", name)
	}
	reqCodec, respCodec = orJSON(reqCodec), orJSON(respCodec)
	src.mu.Lock()
	defer src.mu.Unlock()
	if err := src.addMember(member{kind: kindSlot, name: name, schema: reqCodec.Schema() + "->" + respCodec.Schema()}); err != nil {
		return err
	}
	h := func(r micro.Request) { serveSlot(src, name, r, fn, reqCodec, respCodec) }
	src.slots = append(src.slots, slotEndpoint{name: name, handler: h})
	return nil
}

func serveSlot[Req, Resp any](src *Source, name string, r micro.Request, fn func(context.Context, Req) (Resp, error), reqCodec Codec[Req], respCodec Codec[Resp]) {
	var err error
	defer func() {
		if err != nil {
			src.log.Error("cannot answer a slot call", zap.String("member", name), zap.Error(err))
		}
	}()
	req, derr := reqCodec.Decode(r.Data())
	if derr != nil {
		err = r.Error(CodeBadRequest, derr.Error(), nil)
		return
	}
	resp, ferr := fn(src.ctx, req)
	if ferr != nil {
		var se *SlotError
		if errors.As(ferr, &se) {
			err = r.Error(se.Code, se.Message, nil)
		} else {
			err = r.Error(CodeInternal, ferr.Error(), nil)
		}
		return
	}
	data, eerr := respCodec.Encode(resp)
	if eerr != nil {
		err = r.Error(CodeInternal, "cannot encode the reply: "+eerr.Error(), nil)
		return
	}
	err = r.Respond(data)
}

// RemoteSlot calls a source's slot from a replica.
type RemoteSlot[Req, Resp any] struct {
	r         *Replica
	name      string
	reqCodec  Codec[Req]
	respCodec Codec[Resp]
}

// ReplicaSlot declares the replica's remote slot name; nil codecs mean
// JSON. It must be declared before Start, as part of the signature.
func ReplicaSlot[Req, Resp any](r *Replica, name string, reqCodec Codec[Req], respCodec Codec[Resp]) (*RemoteSlot[Req, Resp], error) {
	reqCodec, respCodec = orJSON(reqCodec), orJSON(respCodec)
	if err := r.addMember(member{kind: kindSlot, name: name, schema: reqCodec.Schema() + "->" + respCodec.Schema()}, nil); err != nil {
		return nil, err
	}
	return &RemoteSlot[Req, Resp]{r: r, name: name, reqCodec: reqCodec, respCodec: respCodec}, nil
}

// Call sends req to the source's slot and waits for its reply. Errors:
// ErrNoResponders at once when no source listens; ErrTimeout (with
// context.DeadlineExceeded) when ctx's deadline, or WithCallTimeout when
// ctx has none, passes; ctx.Err() when ctx is cancelled; a *SlotError when
// the slot failed on the source; a *DecodeError for a reply that cannot be
// decoded; ErrSignatureMismatch when the replica's source has another
// interface.
func (s *RemoteSlot[Req, Resp]) Call(ctx context.Context, req Req) (Resp, error) {
	var zero Resp
	if s.r.State() == SignatureMismatch {
		return zero, fmt.Errorf("%w: slot %q", ErrSignatureMismatch, s.name)
	}
	data, err := s.reqCodec.Encode(req)
	if err != nil {
		return zero, fmt.Errorf("remote: slot %q: %w", s.name, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.r.cfg.callTimeout)
		defer cancel()
	}
	msg, err := s.r.nc.RequestWithContext(ctx, s.r.subj.slot(s.name), data)
	if err != nil {
		return zero, callError(s.name, err)
	}
	if code := msg.Header.Get(micro.ErrorCodeHeader); code != "" {
		return zero, &SlotError{Slot: s.name, Code: code, Message: msg.Header.Get(micro.ErrorHeader)}
	}
	return s.respCodec.Decode(msg.Data)
}

// callError maps the NATS client's request errors to the package's.
func callError(name string, err error) error {
	switch {
	case errors.Is(err, nats.ErrNoResponders):
		return fmt.Errorf("%w: slot %q: %w", ErrNoResponders, name, err)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return fmt.Errorf("%w: slot %q: %w", ErrTimeout, name, context.DeadlineExceeded)
	}
	return fmt.Errorf("remote: slot %q: %w", name, err)
}
