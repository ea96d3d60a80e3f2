package peer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/slotnet/slotnet/transport"
)

// DNS is a scripted DNS server: answers per name — A, AAAA, CNAME,
// NXDOMAIN, SERVFAIL, silence, a delay — served as real DNS messages
// (golang.org/x/net/dns/dnsmessage) over UDP to the code under test, and
// expectations on which names it asks, in order.
//
// Answers are a table, not steps: every query for a name gets its answer,
// and the answers may change while the server runs (to fail a first
// attempt and answer a retry, say). A name with no answer set gets
// NXDOMAIN. Names are case-insensitive, with or without the final dot.
//
// ExpectQuery steps are the script: each names the next name asked.
// Queries for the same name that follow each other — a resolver's A and
// AAAA pair, its retries — count as one ask, so the script reads as the
// list of names the code looked up; lookups the code runs concurrently
// interleave in no fixed order. A query for another name than the one
// expected fails the test at once; queries after the last expectation are
// not checked (Queries lists them all). Done is closed when every
// expectation is met or one failed; expectations left when the test ends
// fail it.
//
// The server runs until the end of the test. Over UDP an answer longer
// than 512 bytes goes back truncated (TC set), and the resolver asks again
// over TCP, which ServeOn serves on the same port (ServeStream adds TCP to
// a server started with Serve), so answers of any size resolve. Point package net's
// resolver at it with transport.NewResolver (over a mem host or the OS
// transport) or a net.Resolver whose Dial reaches it; under
// testing/synctest, call PrepareResolver from TestMain first.
type DNS struct {
	sc script[qstep]
	wg sync.WaitGroup // the server's goroutine and its delayed answers

	mu      sync.Mutex // guards the fields below
	names   map[string]*dnsName
	queries []Query
	last    string // the name of the last query
}

// qstep is an expectation of a DNS script: the next name asked.
type qstep struct {
	name string // canonical
	desc string
}

// Query is one question the server received.
type Query struct {
	Name string         // lower case, with the final dot: "www.example.test."
	Type string         // "A", "AAAA", "CNAME", "PTR", ...
	From netip.AddrPort // the client's address
}

// answerMode is how the server answers a name.
type answerMode uint8

const (
	answerRecords answerMode = iota
	answerNXDomain
	answerServFail
	answerSilent
)

// dnsName is the server's answer for one name.
type dnsName struct {
	mode  answerMode
	a     []netip.Addr
	aaaa  []netip.Addr
	cname string // canonical target
	delay time.Duration
}

// NewDNS returns a DNS server with no names, reporting to t. Its cleanup
// stops the server, waits for its goroutines and fails the test if
// expectations are left (or if it has expectations and never served).
func NewDNS(t testing.TB) *DNS {
	t.Helper()
	d := &DNS{names: map[string]*dnsName{}}
	t.Cleanup(d.wg.Wait) // registered first, so it runs after the script's cleanup stopped the server
	d.sc.init(t, func(st qstep) string { return st.desc })
	return d
}

// canonical returns name in lower case with its final dot.
func canonical(name string) string {
	name = strings.ToLower(name)
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	return name
}

// name returns the answer entry of name, creating it; d.mu is held.
func (d *DNS) name(name string) *dnsName {
	n := d.names[canonical(name)]
	if n == nil {
		n = &dnsName{}
		d.names[canonical(name)] = n
	}
	return n
}

// set changes name's answer under the lock.
func (d *DNS) set(name string, fn func(*dnsName)) *DNS {
	d.mu.Lock()
	fn(d.name(name))
	d.mu.Unlock()
	return d
}

// parseAddrs parses addrs, reporting bad ones to the test.
func (d *DNS) parseAddrs(call, name string, want4 bool, addrs []string) []netip.Addr {
	d.sc.t.Helper()
	var out []netip.Addr
	for _, s := range addrs {
		a, err := netip.ParseAddr(s)
		switch {
		case err != nil:
			d.sc.t.Errorf("peer: %s(%q): %v", call, name, err)
		case want4 != a.Is4():
			d.sc.t.Errorf("peer: %s(%q): %s is not an IPv%s address", call, name, s, map[bool]string{true: "4", false: "6"}[want4])
		default:
			out = append(out, a)
		}
	}
	return out
}

// A adds IPv4 address records for name (and makes it answer normally).
// An address that does not parse as IPv4 fails the test.
func (d *DNS) A(name string, addrs ...string) *DNS {
	d.sc.t.Helper()
	as := d.parseAddrs("A", name, true, addrs)
	return d.set(name, func(n *dnsName) { n.mode, n.a = answerRecords, append(n.a, as...) })
}

// AAAA adds IPv6 address records for name (and makes it answer normally).
func (d *DNS) AAAA(name string, addrs ...string) *DNS {
	d.sc.t.Helper()
	as := d.parseAddrs("AAAA", name, false, addrs)
	return d.set(name, func(n *dnsName) { n.mode, n.aaaa = answerRecords, append(n.aaaa, as...) })
}

// CNAME makes alias a canonical name for target: queries for alias are
// answered with the CNAME record followed by target's records (chains are
// followed up to 8 links).
func (d *DNS) CNAME(alias, target string) *DNS {
	d.sc.t.Helper()
	if _, err := dnsmessage.NewName(canonical(target)); err != nil {
		d.sc.t.Errorf("peer: CNAME(%q, %q): %v", alias, target, err)
		return d
	}
	return d.set(alias, func(n *dnsName) { n.mode, n.cname = answerRecords, canonical(target) })
}

// NXDomain makes queries for name answer "no such domain".
func (d *DNS) NXDomain(name string) *DNS {
	return d.set(name, func(n *dnsName) { n.mode = answerNXDomain })
}

// ServFail makes queries for name answer SERVFAIL (a failing server).
func (d *DNS) ServFail(name string) *DNS {
	return d.set(name, func(n *dnsName) { n.mode = answerServFail })
}

// Silent makes the server ignore queries for name: the client times out.
func (d *DNS) Silent(name string) *DNS {
	return d.set(name, func(n *dnsName) { n.mode = answerSilent })
}

// Delay makes answers about name leave dur after the query came (virtual
// time under testing/synctest).
func (d *DNS) Delay(name string, dur time.Duration) *DNS {
	return d.set(name, func(n *dnsName) { n.delay = dur })
}

// ExpectQuery expects name to be the next name the code under test asks
// about (see DNS for what one ask is). The names are those the resolver
// sends: a name without a final dot may first be tried with the system's
// search domains (resolv.conf's search and ndots), so look up fully
// qualified names ("www.example.test.") where the order matters.
func (d *DNS) ExpectQuery(name string) *DNS {
	d.sc.t.Helper()
	if msg := d.sc.add(qstep{name: canonical(name), desc: fmt.Sprintf("ExpectQuery(%q)", name)}, ""); msg != "" {
		d.sc.t.Errorf("%s", msg)
	}
	return d
}

// Serve answers queries arriving on pc, in a goroutine of its own, until
// the end of the test, which closes pc. Serving twice fails the test.
func (d *DNS) Serve(pc net.PacketConn) {
	d.sc.t.Helper()
	if !d.sc.begin(pc == nil, "Serve") {
		return
	}
	d.sc.attach(pc)
	if d.sc.length() == 0 {
		d.sc.finish() // nothing to expect
	}
	d.wg.Add(1)
	go d.serve(pc)
}

// ServeStream answers queries over TCP on ln too (DNS over TCP, what a
// resolver asks again with when a UDP answer comes back truncated), in
// goroutines of its own, until the end of the test, which closes ln and
// the connections. Call it with Serve: the script (the expectations,
// Done, Err) follows the server's UDP side; queries over TCP count as
// queries all the same.
func (d *DNS) ServeStream(ln net.Listener) {
	d.sc.t.Helper()
	if ln == nil {
		d.sc.t.Errorf("peer: ServeStream(nil): nothing to serve on")
		return
	}
	d.wg.Add(2)
	go d.serveStream(ln)
	go func() {
		defer d.wg.Done()
		<-d.sc.stop
		_ = ln.Close()
	}()
}

// ServeSocket is Serve on a transport.Datagram (a mem.DatagramSocket).
func (d *DNS) ServeSocket(s transport.Datagram) {
	d.sc.t.Helper()
	if s == nil {
		d.Serve(nil)
		return
	}
	d.Serve(transport.PacketConn(s))
}

// ServeOn binds a datagram socket on tr at local (port 0 picks one; 53 is
// usual) and listens for TCP on the same port, serves on both (Serve and
// ServeStream) and returns the address: a mem.Host, or the OS transport.
// A bind or listen error fails the test and returns the zero address.
func (d *DNS) ServeOn(tr transport.Transport, local netip.AddrPort) netip.AddrPort {
	d.sc.t.Helper()
	ctx := context.Background()
	s, err := tr.BindDatagram(ctx, local, transport.BindOptions{})
	if err != nil {
		d.sc.t.Errorf("peer: ServeOn(%v): %v", local, err)
		return netip.AddrPort{}
	}
	ln, err := tr.Listen(ctx, s.LocalAddrPort(), transport.ListenOptions{})
	if err != nil {
		_ = s.Close()
		d.sc.t.Errorf("peer: ServeOn(%v): TCP: %v", local, err)
		return netip.AddrPort{}
	}
	d.ServeSocket(s)
	d.ServeStream(ln)
	return s.LocalAddrPort()
}

// Queries returns every query received so far, in order.
func (d *DNS) Queries() []Query {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Query(nil), d.queries...)
}

// Done is closed when every expectation is met or one failed (at once
// when there are none and the server runs).
func (d *DNS) Done() <-chan struct{} { return d.sc.done }

// Err returns the first failed expectation as a *StepError, or nil.
func (d *DNS) Err() error { return d.sc.errValue() }

var resolverOnce sync.Once

// PrepareResolver makes package net's resolver build its global state (the
// resolv.conf reader and its channel) now, outside any testing/synctest
// bubble. Built inside a bubble, that state belongs to the bubble, and the
// next lookup from outside it — or from another bubble — crashes with
// "send on synctest channel from outside bubble". Call it from TestMain (or
// before the first synctest.Test) in packages that run net.Resolver lookups
// against a DNS script inside bubbles. It makes one lookup that fails
// without touching the network; calling it again does nothing.
func PrepareResolver() {
	resolverOnce.Do(func() {
		r := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
			return nil, errNoNetwork
		}}
		_, _ = r.LookupNetIP(context.Background(), "ip", "prepare.invalid.")
	})
}

var errNoNetwork = errors.New("peer: no network: preparing package net's resolver")
