package mem

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// ErrNetworkClosed is the cause of every operation a closed network refuses
// (Network.Close): adding a host, dialing, listening, binding, serving DNS
// and looking up names. It matches net.ErrClosed with errors.Is.
var ErrNetworkClosed error = networkClosedError{}

type networkClosedError struct{}

func (networkClosedError) Error() string        { return "mem: the network is closed" }
func (networkClosedError) Is(target error) bool { return target == net.ErrClosed }

// lifecycle is a network's open or closed state and what it needs to name
// the sockets left open when it closes.
type lifecycle struct {
	closed atomic.Bool
	sites  bool // WithCreationSites: record where sockets are created

	mu  sync.Mutex // guards dns
	dns map[*DNSServer]struct{}
}

// Leak is one thing a test left open on a network it closed: a socket,
// a listener, a DNS server or a pending timer.
type Leak struct {
	Kind string // "conn", "listener", "datagram socket", "DNS server", "timer" or "port"
	What string // which one: addresses, host, port, state
	// Site is the file:line of the call that created it, outside package
	// mem (the test's or the code under test's), and Stack the calls that
	// led there, one "function\n\tfile:line" per frame. Both are empty unless
	// the network records creation sites (WithCreationSites, memtest.New).
	Site, Stack string
}

// String names the leak and where it was created.
func (l Leak) String() string {
	state := "still open"
	if l.Kind == "timer" {
		state = "still pending"
	}
	s := fmt.Sprintf("%s %s %s", l.Kind, l.What, state)
	if l.Site != "" {
		return s + ", created at " + l.Site
	}
	return s + " (creation site not recorded: mem.WithCreationSites or memtest.New records it)"
}

// LeakError is what Network.Close returns when something was left open.
type LeakError struct{ Leaks []Leak }

// Error lists every leak, one per line.
func (e *LeakError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mem: network closed with %d left open:", len(e.Leaks))
	for _, l := range e.Leaks {
		b.WriteString("\n\t")
		b.WriteString(l.String())
	}
	return b.String()
}

// Close shuts the network down and checks that the test cleaned up after
// itself. It closes every DNS server, listener and datagram socket, aborts
// every stream end, and stops every pending delivery, retransmission and
// keepalive timer, then refuses new hosts, dials, listens, binds and lookups
// with an error wrapping ErrNetworkClosed. Whatever was still open (and
// every datagram still in flight) is returned in a *LeakError, each with
// where it was created when the network records creation sites; nil means
// the test closed everything. Closing again does nothing and returns nil.
func (n *Network) Close() error {
	if !n.life.closed.CompareAndSwap(false, true) {
		return nil
	}
	var leaks []Leak
	leaks = append(leaks, n.closeDNSServers()...)
	hosts := n.Hosts()
	for _, h := range hosts {
		leaks = append(leaks, h.closeSockets()...)
	}
	links := n.sortedLinks()
	leaks = append(leaks, closeConns(links)...)
	for _, l := range links {
		leaks = append(leaks, l.stopTimers()...)
	}
	for _, h := range hosts {
		leaks = append(leaks, h.boundPorts()...)
	}
	if len(leaks) == 0 {
		return nil
	}
	return &LeakError{Leaks: leaks}
}

// Closed reports whether Close has been called.
func (n *Network) Closed() bool { return n.life.closed.Load() }

// refused is the error of an operation a closed network refuses; callers
// check Closed first, so an open network builds no address string.
func refused(op, addr string) *transport.Error {
	return &transport.Error{Code: transport.OperationError, Op: op, Addr: addr, Err: ErrNetworkClosed}
}

// addDNS and removeDNS keep the servers Close stops.
func (n *Network) addDNS(srv *DNSServer) {
	n.life.mu.Lock()
	defer n.life.mu.Unlock()
	if n.life.dns == nil {
		n.life.dns = make(map[*DNSServer]struct{})
	}
	n.life.dns[srv] = struct{}{}
}

func (n *Network) removeDNS(srv *DNSServer) {
	n.life.mu.Lock()
	defer n.life.mu.Unlock()
	delete(n.life.dns, srv)
}

func (n *Network) closeDNSServers() []Leak {
	n.life.mu.Lock()
	srvs := make([]*DNSServer, 0, len(n.life.dns))
	for s := range n.life.dns {
		srvs = append(srvs, s)
	}
	n.life.mu.Unlock()
	slices.SortFunc(srvs, func(a, b *DNSServer) int { return cmpAddrPort(a.Addr(), b.Addr()) })
	var leaks []Leak
	for _, s := range srvs {
		leaks = append(leaks, s.site.leak("DNS server", fmt.Sprintf("%s on host %s", s.Addr(), s.sock.host.name)))
		_ = s.Close()
	}
	return leaks
}

// closeSockets closes the host's listeners and datagram sockets, in port
// order, and names them. Stream ends are closed by closeConns.
func (h *Host) closeSockets() []Leak {
	var leaks []Leak
	var closers []func() error
	h.mu.Lock()
	for _, b := range h.sortedBindingsLocked() {
		switch s := b.owner.(type) {
		case *Listener:
			leaks = append(leaks, s.site.leak("listener", fmt.Sprintf("%s on host %s (tcp port %d)", b.addr, h.name, b.addr.Port())))
			closers = append(closers, s.Close)
		case *DatagramSocket:
			leaks = append(leaks, s.site.leak("datagram socket", fmt.Sprintf("%s on host %s (udp port %d)", b.addr, h.name, b.addr.Port())))
			closers = append(closers, s.Close)
		}
	}
	h.mu.Unlock()
	for _, c := range closers {
		_ = c()
	}
	return leaks
}

// boundPorts names the ports still bound once every socket is closed: a
// dial still in its handshake.
func (h *Host) boundPorts() []Leak {
	h.mu.Lock()
	defer h.mu.Unlock()
	var leaks []Leak
	for _, b := range h.sortedBindingsLocked() {
		name := "tcp"
		if b.proto == protoUDP {
			name = "udp"
		}
		what := fmt.Sprintf("%s/%d on host %s", name, b.addr.Port(), h.name)
		if _, ok := b.owner.(*Conn); ok {
			what += " (a dial still in its handshake)"
		}
		leaks = append(leaks, Leak{Kind: "port", What: what})
	}
	return leaks
}

func (h *Host) sortedBindingsLocked() []*binding {
	var out []*binding
	for p := range h.ports {
		for _, list := range h.ports[p] {
			out = append(out, list...)
		}
	}
	slices.SortStableFunc(out, func(a, b *binding) int {
		return cmp.Or(cmp.Compare(a.proto, b.proto), cmpAddrPort(a.addr, b.addr))
	})
	return out
}

func cmpAddrPort(a, b netip.AddrPort) int {
	return cmp.Or(cmp.Compare(a.Port(), b.Port()), a.Addr().Compare(b.Addr()))
}

// sortedLinks returns every link, by the names of its ends.
func (n *Network) sortedLinks() []*Link {
	n.mu.Lock()
	links := make([]*Link, 0, len(n.links))
	for _, l := range n.links {
		links = append(links, l)
	}
	n.mu.Unlock()
	slices.SortFunc(links, func(a, b *Link) int {
		return cmp.Or(strings.Compare(a.from.name, b.from.name), strings.Compare(a.to.name, b.to.name))
	})
	return links
}

// closeConns aborts every stream end not closed yet, in connection order,
// and names it with the timers it had pending.
func closeConns(links []*Link) []Leak {
	seen := make(map[*conn]bool)
	var conns []*conn
	for _, l := range links {
		l.mu.Lock()
		for _, c := range l.connsLocked() {
			if !seen[c] {
				seen[c] = true
				conns = append(conns, c)
			}
		}
		l.mu.Unlock()
	}
	slices.SortFunc(conns, func(a, b *conn) int { return cmp.Compare(a.id, b.id) })
	var leaks []Leak
	for _, c := range conns {
		var open []*Conn
		c.mu.Lock()
		timers := c.pendingTimersLocked()
		for i, e := range c.ends {
			if e.closed {
				continue
			}
			how := "dialed"
			if i == 1 {
				how = "accepted"
			}
			what := fmt.Sprintf("%s->%s on host %s (%s)", e.local, e.remote, e.host.name, how)
			if timers != "" {
				what += "; timers pending: " + timers
			}
			leaks = append(leaks, c.siteLocked(i).leak("conn", what))
			open = append(open, e)
		}
		c.mu.Unlock()
		for _, e := range open {
			_ = e.Abort()
		}
	}
	return leaks
}

// siteLocked returns where end i was created, or nil.
func (c *conn) siteLocked(i int) *site {
	if c.sites == nil {
		return nil
	}
	return c.sites[i]
}

// pendingTimersLocked names the connection's armed timers.
func (c *conn) pendingTimersLocked() string {
	var names []string
	for _, e := range c.ends {
		p := e.out
		if p.inflight.len() > 0 {
			names = append(names, fmt.Sprintf("delivery of %d segments to %s", p.inflight.len(), p.dst.local))
		}
		if p.acks.len() > 0 {
			names = append(names, "acknowledgement to "+p.src.local.String())
		}
		if !p.stalledAt.IsZero() {
			names = append(names, "retransmission from "+e.local.String())
		}
		if e.kaTimer != nil {
			names = append(names, "keepalive of "+e.local.String())
		}
	}
	return strings.Join(names, ", ")
}

// stopTimers stops the link's datagram deliveries (naming them if any
// datagram was still in flight) and its ResetAt timer.
func (l *Link) stopTimers() []Leak {
	l.mu.Lock()
	if l.resetTimer != nil {
		l.resetTimer.Stop()
		l.resetTimer = nil
	}
	l.mu.Unlock()
	g := l.dg()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.q) == 0 {
		return nil
	}
	next := time.Until(g.q[0].at)
	for _, d := range g.q {
		putBuf(d.buf)
	}
	what := fmt.Sprintf("delivering %d datagrams on link %s->%s (next due in %v)", len(g.q), l.from.name, l.to.name, max(next, 0))
	g.q, g.held = g.q[:0], nil
	if g.timer != nil {
		g.timer.Stop()
	}
	return []Leak{g.site.leak("timer", what)}
}
