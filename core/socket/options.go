package socket

import (
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

// Option configures a socket or a server of package tcp or udp.
type Option func(*Settings)

// Settings is what the options say. Packages tcp and udp read it with
// Resolve.
type Settings struct {
	Transport  transport.Transport
	Lookup     LookupFunc
	Logger     *zap.Logger
	ObjectOpts []core.ObjectOption
}

// WithTransport runs the socket over t (default: the operating system's
// sockets, netsock). Names are then looked up through t too, unless
// WithLookup says otherwise.
func WithTransport(t transport.Transport) Option { return func(s *Settings) { s.Transport = t } }

// WithLookup looks host names up with fn — e.g. a dns.Client's
// ResolveHost (default: dns's cached client over the transport).
func WithLookup(fn LookupFunc) Option { return func(s *Settings) { s.Lookup = fn } }

// WithLogger logs state changes and errors at Debug level to l, under the
// package's name ("tcp", "udp"); default: no logging.
func WithLogger(l *zap.Logger) Option { return func(s *Settings) { s.Logger = l } }

// WithLoop puts the object on loop l (default: no loop — blocking mode,
// driven by the WaitFor… calls).
func WithLoop(l *core.Loop) Option {
	return func(s *Settings) { s.ObjectOpts = append(s.ObjectOpts, core.WithLoop(l)) }
}

// WithParent makes the object a child of p (it then lives on p's loop and
// dies with p).
func WithParent(p *core.Object) Option {
	return func(s *Settings) { s.ObjectOpts = append(s.ObjectOpts, core.WithParent(p)) }
}

// WithName sets the object's name.
func WithName(name string) Option {
	return func(s *Settings) { s.ObjectOpts = append(s.ObjectOpts, core.WithName(name)) }
}

// Resolve applies opts over the defaults: the OS transport, a no-op
// logger named name, and lookups from defaultLookup(transport) unless
// WithLookup gave one.
func Resolve(opts []Option, name string, defaultLookup func(transport.Transport) LookupFunc) Settings {
	var s Settings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if s.Logger == nil {
		s.Logger = zap.NewNop()
	}
	s.Logger = s.Logger.Named(name)
	if s.Transport == nil {
		s.Transport = netsock.New()
	}
	if s.Lookup == nil && defaultLookup != nil {
		s.Lookup = defaultLookup(s.Transport)
	}
	return s
}

// NewObjectEngine makes the object and the engine of a socket of type typ
// from settings (what tcp.NewSocket and udp.NewSocket do).
func NewObjectEngine(typ Type, s Settings) (*Engine, error) {
	obj, err := core.NewObject(s.ObjectOpts...)
	if err != nil {
		return nil, err
	}
	e, err := New(obj, Config{Type: typ, Transport: s.Transport, Lookup: s.Lookup, Logger: s.Logger})
	if err != nil {
		obj.Destroy()
		return nil, err
	}
	return e, nil
}
