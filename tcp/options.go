package tcp

import (
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/dns"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

// Option configures a Socket or a Server.
type Option func(*config)

type config struct {
	transport transport.Transport
	lookup    socket.LookupFunc
	logger    *zap.Logger
	objOpts   []core.ObjectOption
}

// WithTransport runs the socket over t (default: the operating system's
// sockets, netsock). Names are then looked up through t too, unless
// WithResolver says otherwise.
func WithTransport(t transport.Transport) Option { return func(c *config) { c.transport = t } }

// WithResolver looks names up with r (default: dns.Default() for the OS
// transport, a dns.Client over the transport otherwise).
func WithResolver(r *dns.Client) Option {
	return func(c *config) {
		if r != nil {
			c.lookup = r.ResolveHost
		}
	}
}

// WithLogger logs state changes and errors at Debug level to l, named
// "tcp" (default: no logging).
func WithLogger(l *zap.Logger) Option { return func(c *config) { c.logger = l } }

// WithLoop puts the object on loop l (default: no loop — blocking mode,
// driven by the WaitFor… calls).
func WithLoop(l *core.Loop) Option {
	return func(c *config) { c.objOpts = append(c.objOpts, core.WithLoop(l)) }
}

// WithParent makes the object a child of p (it then lives on p's loop and
// dies with p).
func WithParent(p *core.Object) Option {
	return func(c *config) { c.objOpts = append(c.objOpts, core.WithParent(p)) }
}

// WithName sets the object's name.
func WithName(name string) Option {
	return func(c *config) { c.objOpts = append(c.objOpts, core.WithName(name)) }
}

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.logger == nil {
		c.logger = zap.NewNop()
	}
	c.logger = c.logger.Named("tcp")
	if c.transport == nil {
		c.transport = netsock.New()
		if c.lookup == nil {
			c.lookup = dns.Default().ResolveHost
		}
	}
	if c.lookup == nil {
		if r, err := dns.New(dns.WithTransport(c.transport)); err == nil {
			c.lookup = r.ResolveHost
		}
	}
	return c
}
