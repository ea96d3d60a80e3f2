package record

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// Recorder is a transport.Transport that records what the code using it
// does through another Transport (usually transport/netsock's, the real
// network): every stream it dials, with the bytes in each direction and
// how each end closed; every datagram its sockets send and receive; every
// name it looks up, with the answer. Script returns the recording.
//
// What is recorded is what the client observes: the server's bytes when a
// Read returns them, the server's FIN when a Read returns io.EOF, its
// reset when a Read or Write fails with ECONNRESET. Listen and Interfaces
// pass through unrecorded. A Recorder is safe for concurrent use.
type Recorder struct {
	inner  transport.Transport
	redact func(*Event)
	res    time.Duration

	mu      sync.Mutex // guards everything below
	start   time.Time
	last    time.Duration // the time of the last event since start, rounded to res
	conns   []Conn
	sockets []Socket
	events  []recorded
}

// recorded is one event as recorded; a dropped one (a Write that sent
// nothing) only passes its delay on.
type recorded struct {
	Event
	dropped bool
}

// Option configures a Recorder.
type Option interface{ apply(*Recorder) }

type optionFunc func(*Recorder)

func (f optionFunc) apply(r *Recorder) { f(r) }

// WithRedaction makes Script pass every event through fn before it
// returns it, to hide what must not be written down: a password, a cookie,
// an internal address. fn may change the event's Data (Send, Datagram)
// and Answers (Lookup, LookupAddr), and may turn a client's Send into a
// pattern (Regexp) that the replay matches whatever the secret; changes to
// its other fields are ignored. Redaction runs on each event alone, so a secret that a program
// writes in two pieces reaches fn as two pieces.
func WithRedaction(fn func(ev *Event)) Option {
	return optionFunc(func(r *Recorder) { r.redact = fn })
}

// WithResolution sets the precision of the recorded delays (default one
// microsecond; at most a second).
func WithResolution(d time.Duration) Option {
	return optionFunc(func(r *Recorder) {
		if d > 0 && d <= time.Second {
			r.res = d
		}
	})
}

// New returns a Recorder over inner; the recording's clock starts now.
func New(inner transport.Transport, opts ...Option) *Recorder {
	r := &Recorder{inner: inner, res: time.Microsecond, start: time.Now()}
	for _, o := range opts {
		o.apply(r)
	}
	return r
}

// Script returns a copy of everything recorded so far, redacted.
func (r *Recorder) Script() *Script {
	r.mu.Lock()
	s := &Script{Conns: slices.Clone(r.conns), Sockets: slices.Clone(r.sockets)}
	var carry time.Duration
	for _, e := range r.events {
		if e.dropped {
			carry += e.Delay
			continue
		}
		ev := e.Event
		ev.Delay += carry
		carry = 0
		ev.Data = slices.Clone(ev.Data)
		ev.Answers = slices.Clone(ev.Answers)
		s.Events = append(s.Events, ev)
	}
	r.mu.Unlock()
	if r.redact != nil {
		for i := range s.Events {
			s.Events[i] = r.redacted(s.Events[i])
		}
	}
	return s
}

// redacted applies the redaction hook to a copy of e and keeps only the
// changes it may make.
func (r *Recorder) redacted(e Event) Event {
	c := e
	r.redact(&c)
	e.Data, e.Answers, e.Regexp = c.Data, c.Answers, c.Regexp
	return e
}

// Marshal returns the recording in its text form: Marshal(r.Script()).
func (r *Recorder) Marshal() ([]byte, error) {
	return Marshal(r.Script())
}

// add records e now and returns its index.
func (r *Recorder) add(e Event) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addLocked(e)
}

func (r *Recorder) addLocked(e Event) int {
	at := time.Since(r.start).Round(r.res)
	if at > r.last {
		e.Delay, r.last = at-r.last, at
	}
	r.events = append(r.events, recorded{Event: e})
	return len(r.events) - 1
}

// sent trims event i to the n bytes a Write really sent, dropping it when
// it sent none.
func (r *Recorder) sent(i, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := &r.events[i]
	if n <= 0 {
		e.dropped = true
		return
	}
	e.Data = e.Data[:min(n, len(e.Data))]
}

// Dial dials through the inner transport and records the connection.
func (r *Recorder) Dial(ctx context.Context, remote netip.AddrPort, opts transport.DialOptions) (transport.Stream, error) {
	s, err := r.inner.Dial(ctx, remote, opts)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	c := Conn{ID: len(r.conns) + 1, Client: s.LocalAddrPort(), Server: s.RemoteAddrPort()}
	r.conns = append(r.conns, c)
	r.addLocked(Event{Kind: Open, ID: c.ID})
	r.mu.Unlock()
	return &stream{Stream: s, r: r, id: c.ID}, nil
}

// Listen listens through the inner transport; accepted streams are not
// recorded.
func (r *Recorder) Listen(ctx context.Context, local netip.AddrPort, opts transport.ListenOptions) (transport.Listener, error) {
	return r.inner.Listen(ctx, local, opts)
}

// BindDatagram binds through the inner transport and records the
// socket's datagrams.
func (r *Recorder) BindDatagram(ctx context.Context, local netip.AddrPort, opts transport.BindOptions) (transport.Datagram, error) {
	d, err := r.inner.BindDatagram(ctx, local, opts)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	k := Socket{ID: len(r.sockets) + 1, Local: d.LocalAddrPort()}
	r.sockets = append(r.sockets, k)
	r.mu.Unlock()
	return &datagram{Datagram: d, r: r, id: k.ID}, nil
}

// LookupHost resolves through the inner transport and records the answer
// (not for an IP literal, which no server answers).
func (r *Recorder) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	addrs, err := r.inner.LookupHost(ctx, name)
	if _, literal := netip.ParseAddr(name); literal == nil {
		return addrs, err
	}
	e := Event{Kind: Lookup, Name: name}
	if e.Err = lookupError(err); err == nil || e.Err != "" {
		for _, a := range addrs {
			e.Answers = append(e.Answers, a.String())
		}
		r.add(e)
	}
	return addrs, err
}

// LookupAddr resolves through the inner transport and records the answer.
func (r *Recorder) LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error) {
	names, err := r.inner.LookupAddr(ctx, addr)
	e := Event{Kind: LookupAddr, Name: addr.String()}
	if e.Err = lookupError(err); err == nil || e.Err != "" {
		e.Answers = slices.Clone(names)
		r.add(e)
	}
	return names, err
}

// Interfaces lists the inner transport's interfaces.
func (r *Recorder) Interfaces() ([]transport.Interface, error) {
	return r.inner.Interfaces()
}

// lookupError classifies a failed lookup; "" for success and for a
// cancelled one, which the server never answered.
func lookupError(err error) LookupError {
	var dnsErr *net.DNSError
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return ""
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return NXDomain
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout, transport.CodeOf(err) == transport.SocketTimeoutError:
		return Timeout
	case transport.CodeOf(err) == transport.HostNotFoundError && dnsErr == nil:
		return NXDomain
	}
	return ServFail
}

var _ transport.Transport = (*Recorder)(nil)
