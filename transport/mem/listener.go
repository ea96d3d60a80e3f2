package mem

import (
	"context"
	"net"
	"net/netip"
	"sync"

	"github.com/slotnet/slotnet/transport"
)

// DefaultBacklog is a listener's backlog when ListenOptions.Backlog is 0.
const DefaultBacklog = 4096

// Overflow is what a listener does with a connection attempt when its
// backlog of completed, unaccepted connections is full.
type Overflow int

const (
	// OverflowRefuse answers with a reset: the dialer gets
	// ConnectionRefusedError at once (as BSD and Linux with
	// tcp_abort_on_overflow do).
	OverflowRefuse Overflow = iota
	// OverflowDrop ignores the SYN, as Linux does by default: the dialer
	// retransmits it (after 1 s, 2 s, 4 s, ...) and connects if room has
	// been made meanwhile, else times out.
	OverflowDrop
)

// SetListenOverflow sets the backlog policy of listeners the host opens
// from now on (the default is OverflowRefuse).
func (h *Host) SetListenOverflow(o Overflow) {
	h.mu.Lock()
	h.overflow = o
	h.mu.Unlock()
}

// Listener is a stream listener on a Host: a transport.Listener whose
// streams are *Conn.
type Listener struct {
	host    *Host
	bound   *binding
	backlog int

	mu       sync.Mutex  // guards the fields below
	queue    fifo[*Conn] // completed connections not yet accepted
	reserved int         // handshakes in progress that hold a backlog slot
	overflow Overflow
	closed   bool

	ready chan struct{} // signalled when queue grows
	done  chan struct{} // closed by Close
	site  *site         // where it was opened (WithCreationSites)
}

var _ transport.Listener = (*Listener)(nil)

// Listen opens a stream listener on local; port 0 picks an ephemeral port.
// ListenOptions.Backlog bounds the completed connections waiting for
// Accept (0 or negative: DefaultBacklog); what happens beyond it is the host's
// Overflow policy, which Listener.SetOverflow overrides.
func (h *Host) Listen(ctx context.Context, local netip.AddrPort, opts transport.ListenOptions) (transport.Listener, error) {
	if err := ctx.Err(); err != nil {
		return nil, streamCtxErr("listen", local, err)
	}
	ln := &Listener{host: h, backlog: opts.Backlog, ready: make(chan struct{}, 1), done: make(chan struct{})}
	if h.net.life.sites {
		ln.site = newSite()
	}
	if ln.backlog <= 0 { // as listen(2) and Qt 5 accept a negative backlog
		ln.backlog = DefaultBacklog
	}
	h.mu.Lock()
	ln.overflow = h.overflow
	h.mu.Unlock()
	b, err := h.bind(protoTCP, local, opts.Mode, ln)
	if err != nil {
		err.(*transport.Error).Op = "listen"
		return nil, err
	}
	ln.bound = b
	return ln, nil
}

// SetOverflow sets what the listener does when its backlog is full.
func (ln *Listener) SetOverflow(o Overflow) {
	ln.mu.Lock()
	ln.overflow = o
	ln.mu.Unlock()
}

// Accept waits for the next connection (net.Listener).
func (ln *Listener) Accept() (net.Conn, error) { return ln.AcceptStream(context.Background()) }

// AcceptStream waits for the next connection, the listener's Close or
// ctx's end.
func (ln *Listener) AcceptStream(ctx context.Context) (transport.Stream, error) {
	for {
		ln.mu.Lock()
		if ln.closed {
			ln.mu.Unlock()
			return nil, streamClosedErr("accept", ln.AddrPort())
		}
		if ln.queue.len() > 0 {
			e := ln.queue.pop()
			if ln.queue.len() > 0 {
				wakeOne(ln.ready)
			}
			ln.mu.Unlock()
			if ln.host.net.life.sites {
				e.c.recordSite(1, newSite())
			}
			return e, nil
		}
		ln.mu.Unlock()
		select {
		case <-ln.ready:
		case <-ln.done:
		case <-ctx.Done():
			return nil, streamCtxErr("accept", ln.AddrPort(), ctx.Err())
		}
	}
}

// Close stops listening; connections not yet accepted are reset. It
// returns an error wrapping net.ErrClosed if already closed.
func (ln *Listener) Close() error {
	ln.mu.Lock()
	if ln.closed {
		ln.mu.Unlock()
		return streamClosedErr("close", ln.AddrPort())
	}
	ln.closed = true
	close(ln.done)
	var pending []*Conn
	for ln.queue.len() > 0 {
		pending = append(pending, ln.queue.pop())
	}
	ln.mu.Unlock()
	ln.host.unbind(ln.bound)
	for _, e := range pending {
		_ = e.Abort()
	}
	return nil
}

// Addr returns the listening address as a *net.TCPAddr.
func (ln *Listener) Addr() net.Addr { return net.TCPAddrFromAddrPort(ln.AddrPort()) }

// AddrPort returns the listening address.
func (ln *Listener) AddrPort() netip.AddrPort { return ln.bound.addr }

// synVerdict is a listener's answer to a SYN.
type synVerdict int

const (
	synAccept synVerdict = iota // a backlog slot is reserved
	synRefuse                   // answer with RST
	synDrop                     // ignore
)

// syn is a SYN's arrival: it reserves a backlog slot or says why not.
func (ln *Listener) syn() synVerdict {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	switch {
	case ln.closed:
		return synRefuse
	case ln.queue.len()+ln.reserved < ln.backlog:
		ln.reserved++
		return synAccept
	case ln.overflow == OverflowDrop:
		return synDrop
	}
	return synRefuse
}

// release gives back a reserved slot whose handshake failed.
func (ln *Listener) release() {
	ln.mu.Lock()
	ln.reserved--
	ln.mu.Unlock()
}

// enqueue turns a reserved slot into a connection waiting for Accept; it
// reports false if the listener has closed meanwhile.
func (ln *Listener) enqueue(e *Conn) bool {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	ln.reserved--
	if ln.closed {
		return false
	}
	ln.queue.push(e)
	wakeOne(ln.ready)
	return true
}

// recordSite notes where end i (0 dialed, 1 accepted) was created.
func (c *conn) recordSite(i int, s *site) {
	c.mu.Lock()
	if c.sites == nil {
		c.sites = new([2]*site)
	}
	c.sites[i] = s
	c.mu.Unlock()
}

// listenerFor returns the listener that receives a SYN for dst, or nil.
func (h *Host) listenerFor(dst netip.AddrPort) *Listener {
	for _, b := range h.bindings(protoTCP, dst) {
		if ln, ok := b.owner.(*Listener); ok {
			return ln
		}
	}
	return nil
}
