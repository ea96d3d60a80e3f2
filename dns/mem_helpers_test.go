package dns

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/zap/zaptest"
	"golang.org/x/net/dns/dnsmessage"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// bigRecords is more A records than fit the 1232-byte UDP answer
// package net's resolver offers (EDNS0), so big.test is truncated over UDP.
const bigRecords = 100

// memWorld is an in-memory network with a client host (10.0.0.1) and a
// name server host (10.0.0.2) serving the same names as testServer over
// real DNS messages (mem's DNSServer), with a Tap counting the queries
// that enter the network per "name type proto" (and those lost on the
// way). Build it inside a synctest bubble.
type memWorld struct {
	n          *mem.Network
	client, ns *mem.Host
	srv        *mem.DNSServer
	tap        *queryTap
}

// newMemWorld builds the network; the zone's slow.test answers after
// slow.
func newMemWorld(t *testing.T, slow time.Duration) *memWorld {
	t.Helper()
	tap := &queryTap{counts: make(map[string]int), lost: make(map[string]int),
		streams: make(map[[2]netip.AddrPort][]byte)}
	n := mem.New(mem.WithSeed(7), mem.WithTap(tap))
	pfx := func(s string) mem.IfaceConfig {
		return mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix(s)}}
	}
	w := &memWorld{n: n, tap: tap, client: n.MustAddHost("client", pfx("10.0.0.1/24")),
		ns: n.MustAddHost("ns", pfx("10.0.0.2/24"))}
	z := n.Zone()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	ip := netip.MustParseAddr
	must(z.AddA("a.test", ip("10.0.0.1")))
	must(z.AddAAAA("six.test", ip("2001:db8::6")))
	must(z.AddA("both.test", ip("10.0.0.2")))
	must(z.AddAAAA("both.test", ip("2001:db8::2")))
	must(z.AddCNAME("alias.test", "alias2.test"))
	must(z.AddCNAME("alias2.test", "a.test"))
	must(z.AddA("xn--bcher-kva.test", ip("10.0.0.7")))
	for i := range bigRecords {
		must(z.AddA("big.test", netip.AddrFrom4([4]byte{10, 1, 0, byte(i + 1)})))
	}
	must(z.SetFailure("fail.test", mem.ServFail))
	must(z.AddA("slow.test", ip("10.0.0.9")))
	must(z.SetLatency("slow.test", slow))
	srv, err := w.ns.ServeDNS(netip.MustParseAddrPort("10.0.0.2:53"))
	must(err)
	t.Cleanup(func() {
		// Package net's resolver lets a query whose lookup was cancelled
		// run to its attempt's timeout (5 s) in the background, and a
		// bubble's clock stops once the test function returns: wait them
		// out in virtual time first.
		time.Sleep(time.Minute)
		_ = srv.Close()
	})
	w.srv = srv
	return w
}

// client returns a Client asking w's server over the in-memory network.
func (w *memWorld) newClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithResolver(ServerResolver(w.client, w.srv.Addr())),
		WithLogger(zaptest.NewLogger(t))}, opts...)
	c, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// both sets the faults of both directions between the client and the
// server.
func (w *memWorld) both(f mem.Faults) {
	w.n.Link(w.client, w.ns).SetFaults(f)
	w.n.Link(w.ns, w.client).SetFaults(f)
}

// count, lost and countOf read the tap once the bubble is idle: a
// stream's tap events may be shown by a later unlock on another goroutine.
func (w *memWorld) count(name string) int  { synctest.Wait(); return w.tap.count(name) }
func (w *memWorld) lost(name string) int   { synctest.Wait(); return w.tap.lostCount(name) }
func (w *memWorld) countOf(key string) int { synctest.Wait(); return w.tap.countOf(key) }

// queryTap counts DNS queries as they enter the network.
type queryTap struct {
	mu      sync.Mutex     // guards the maps
	counts  map[string]int // "name type proto" → queries sent
	lost    map[string]int // "name type proto" → queries lost on the way
	streams map[[2]netip.AddrPort][]byte
}

// Stream reassembles each connection's bytes to the server, which may
// cross in any segments (a Write handed to a waiting Read goes in pieces
// of the Read's size), and counts each length-prefixed query.
func (q *queryTap) Stream(ev mem.StreamEvent) {
	if ev.Dst.Port() != 53 || len(ev.Data) == 0 {
		return
	}
	q.mu.Lock()
	key := [2]netip.AddrPort{ev.Src, ev.Dst}
	buf := append(q.streams[key], ev.Data...)
	var msgs [][]byte
	for len(buf) >= 2 && len(buf) >= 2+int(binary.BigEndian.Uint16(buf)) {
		n := 2 + int(binary.BigEndian.Uint16(buf))
		msgs = append(msgs, buf[2:n])
		buf = buf[n:]
	}
	q.streams[key] = buf
	q.mu.Unlock()
	for _, m := range msgs {
		q.add(m, "tcp", false)
	}
}

func (q *queryTap) Datagram(ev mem.DatagramEvent) {
	if ev.Dst.Port() == 53 {
		q.add(ev.Data, "udp", ev.Dropped)
	}
}

func (q *queryTap) add(msg []byte, proto string, lost bool) {
	var p dnsmessage.Parser
	if _, err := p.Start(msg); err != nil {
		return
	}
	qq, err := p.Question()
	if err != nil {
		return
	}
	key := qq.Name.String() + " " + qq.Type.String()[len("Type"):] + " " + proto
	q.mu.Lock()
	defer q.mu.Unlock()
	q.counts[key]++
	if lost {
		q.lost[key]++
	}
}

// count returns the queries sent for name, all types and protocols.
func (q *queryTap) count(name string) int { return q.sum(q.counts, name) }

// lostCount returns the queries for name lost on the way.
func (q *queryTap) lostCount(name string) int { return q.sum(q.lost, name) }

func (q *queryTap) countOf(key string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.counts[key]
}

func (q *queryTap) sum(m map[string]int, name string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for k, v := range m {
		if len(k) > len(name) && k[:len(name)+1] == name+" " {
			n += v
		}
	}
	return n
}

var netResolverOnce sync.Once

// netResolverOutsideBubble makes package net's resolver build its global
// state (the resolv.conf and nsswitch.conf readers' channels) outside any
// synctest bubble: built inside one, it would belong to that bubble and
// break every later lookup outside it. TestMain calls it.
func netResolverOutsideBubble() {
	netResolverOnce.Do(func() {
		r := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("no network: warming up package net's resolver")
		}}
		_, _ = r.LookupNetIP(context.Background(), "ip", "warm-up.invalid.")
	})
}

func mustAddr(s string) transport.HostAddress { return transport.MustParseHostAddress(s) }

// newObjectOn returns another object on o's loop.
func newObjectOn(o *core.Object) (*core.Object, error) {
	return core.NewObject(core.WithLoop(o.Loop()))
}
