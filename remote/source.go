package remote

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nats.go/micro"
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/signal"
)

// Source exposes signals, properties and slots of a Go value to replicas
// (QRemoteObjectHost + enableRemoting). Declare the members with
// ExposeSignal, ExposeProperty and ExposeSlot, then Start. Everything a
// source publishes goes out through its one NATS connection, under one lock,
// with consecutive sequence numbers: replicas receive it in emission order.
type Source struct {
	nc   *nats.Conn
	name string
	subj subjects
	cfg  config
	log  *zap.Logger

	ctx    context.Context // cancelled by Close; slot handlers get it
	cancel context.CancelFunc

	// mu guards everything below. It is held while publishing so that the
	// order on the wire is the order of the sequence numbers.
	mu       sync.Mutex
	epoch    uint64
	seq      uint64 // last sequence number published
	signals  uint64 // signals published in this epoch
	hdr      nats.Header
	members  []member
	props    map[string]*propState
	slots    []slotEndpoint
	durables int
	conns    []*signal.Connection
	svc      micro.Service
	js       jetstream.JetStream
	started  bool
	closed   bool

	dmu    sync.Mutex // serialises durable publishes; guards durSeq
	durSeq uint64     // durable signals published in this epoch
}

// propState is the source's copy of an exposed property: its encoded value
// and the sequence number of its last change (0: initial value).
type propState struct {
	seq  uint64
	data []byte
}

type slotEndpoint struct {
	name    string
	handler micro.HandlerFunc
}

// NewSource returns a source named name (one NATS subject token of
// letters, digits, '-' and '_') that publishes through nc.
func NewSource(nc *nats.Conn, name string, opts ...Option) (*Source, error) {
	cfg := newConfig(opts)
	if err := checkName("source", name); err != nil {
		return nil, err
	}
	if err := checkToken("prefix", cfg.prefix); err != nil {
		return nil, err
	}
	if nc == nil {
		return nil, fmt.Errorf("remote: source %q needs a NATS connection", name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Source{
		nc: nc, name: name, subj: newSubjects(cfg.prefix, name), cfg: cfg,
		log: cfg.log.Named("remote").With(zap.String("source", name)),
		ctx: ctx, cancel: cancel, epoch: newEpoch(),
		hdr:   nats.Header{HeaderProto: []string{ProtoVersion}, HeaderSeq: []string{""}},
		props: map[string]*propState{},
	}, nil
}

// newEpoch returns a random non-zero epoch: a restarted source is told
// apart from the one before it.
func newEpoch() uint64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		if e := binary.BigEndian.Uint64(b[:]); e != 0 {
			return e
		}
	}
}

// Name returns the source's name.
func (s *Source) Name() string { return s.name }

// Signature returns the hash of the exposed interface; valid after Start.
func (s *Source) Signature() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return signature(s.members)
}

// addMember registers a member before Start. Callers hold s.mu.
func (s *Source) addMember(m member) (err error) {
	s.members, err = appendMember(s.members, m, lifecycle{started: s.started, closed: s.closed})
	return err
}

// publish sends one sequenced message. Callers hold s.mu.
func (s *Source) publish(member string, data []byte, isSignal bool) error {
	s.seq++
	if isSignal {
		s.signals++
	}
	s.hdr[HeaderSeq][0] = seqInfo{epoch: s.epoch, seq: s.seq, signals: s.signals}.String()
	return s.nc.PublishMsg(&nats.Msg{Subject: s.subj.pub(member), Header: s.hdr, Data: data})
}

// Start makes the source reachable: it creates the JetStream stream of its
// durable signals, and registers the micro service that answers snapshot
// requests, remote slot calls and discovery.
func (s *Source) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.started {
		return ErrStarted
	}
	if err := s.startStream(); err != nil {
		return err
	}
	svc, err := micro.AddService(s.nc, micro.Config{
		Name:        s.name,
		Version:     "1.0.0",
		Description: "slotnet remote source",
		Metadata: map[string]string{
			metaProto: ProtoVersion, metaPrefix: s.cfg.prefix, metaSignature: signature(s.members),
		},
	})
	if err != nil {
		return fmt.Errorf("remote: source %q: %w", s.name, err)
	}
	if err := s.addEndpoints(svc); err != nil {
		_ = svc.Stop()
		return err
	}
	s.svc, s.started = svc, true
	// When Start returns, the server has the endpoints' subscriptions.
	if err := s.nc.Flush(); err != nil {
		return fmt.Errorf("remote: source %q: %w", s.name, err)
	}
	return nil
}

func (s *Source) addEndpoints(svc micro.Service) error {
	if err := svc.AddEndpoint("snapshot", micro.HandlerFunc(s.serveSnapshot),
		micro.WithEndpointSubject(s.subj.snapshot())); err != nil {
		return fmt.Errorf("remote: source %q: %w", s.name, err)
	}
	for _, sl := range s.slots {
		if err := svc.AddEndpoint(sl.name, sl.handler, micro.WithEndpointSubject(s.subj.slot(sl.name))); err != nil {
			return fmt.Errorf("remote: source %q slot %q: %w", s.name, sl.name, err)
		}
	}
	return nil
}

// Close disconnects the source from its signals and stops answering. It
// does not close the NATS connection, which the caller owns.
func (s *Source) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	conns, svc := s.conns, s.svc
	s.mu.Unlock()
	for _, c := range conns {
		c.Disconnect()
	}
	s.cancel()
	if svc != nil {
		return svc.Stop()
	}
	return nil
}
