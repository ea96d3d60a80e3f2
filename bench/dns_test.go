package bench

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	mdns "github.com/miekg/dns"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/dns"
	"github.com/slotnet/slotnet/transport/netsock"
)

// dnsServer is a miekg/dns server on 127.0.0.1 (UDP, a random port)
// answering hN.test (N < 1000) with one A record 10.0.N/256.N%256 and
// no AAAA records, counting the queries it gets.
type dnsServer struct {
	addr    netip.AddrPort
	queries atomic.Int64
}

func startDNSServer(b *testing.B) *dnsServer {
	b.Helper()
	s := &dnsServer{}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s.addr = netip.MustParseAddrPort(pc.LocalAddr().String())
	srv := &mdns.Server{PacketConn: pc, Handler: mdns.HandlerFunc(s.serve)}
	var started sync.WaitGroup
	started.Add(1)
	srv.NotifyStartedFunc = started.Done
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.ActivateAndServe() })
	started.Wait()
	b.Cleanup(func() { _ = srv.Shutdown(); wg.Wait() })
	return s
}

func (s *dnsServer) serve(w mdns.ResponseWriter, req *mdns.Msg) {
	s.queries.Add(1)
	m := new(mdns.Msg)
	m.SetReply(req)
	m.Authoritative = true // else Go's resolver takes an empty answer for a lame referral and asks again
	q := req.Question[0]
	var n int
	if _, err := fmt.Sscanf(q.Name, "h%d.test.", &n); err != nil || n >= 1000 || !strings.HasSuffix(q.Name, ".test.") {
		m.Rcode = mdns.RcodeNameError
	} else if q.Qtype == mdns.TypeA {
		m.Answer = append(m.Answer, &mdns.A{Hdr: mdns.RR_Header{Name: q.Name, Rrtype: mdns.TypeA,
			Class: mdns.ClassINET, Ttl: 60}, A: net.IPv4(10, 0, byte(n/256), byte(n%256))})
	}
	_ = w.WriteMsg(m)
}

// netResolver is package net's Go resolver asking s: the baseline.
func (s *dnsServer) netResolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, s.addr.String())
	}}
}

func (s *dnsServer) client(b *testing.B, opts ...dns.Option) *dns.Client {
	b.Helper()
	c, err := dns.New(append([]dns.Option{dns.WithResolver(dns.ServerResolver(netsock.New(), s.addr))}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// receiverOnLoop returns an object on a running loop, closed at the end.
func receiverOnLoop(b *testing.B) *core.Object {
	b.Helper()
	loop := core.NewLoop()
	if err := loop.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = loop.Close() })
	o, err := core.NewObject(core.WithLoop(loop))
	if err != nil {
		b.Fatal(err)
	}
	return o
}

// BenchmarkDNSCached: a lookup answered by the cache — FromName on the
// caller's goroutine, and LookupHost with its answer on the receiver's
// loop — against the floor, a mutex-guarded map read.
func BenchmarkDNSCached(b *testing.B) {
	s := startDNSServer(b)
	c := s.client(b)
	if h := c.FromName("h1.test"); h.Error != dns.NoError {
		b.Fatal(h.ErrorString)
	}
	b.Run("impl=fromname", func(b *testing.B) {
		for b.Loop() {
			if h := c.FromName("h1.test"); len(h.Addresses) != 1 {
				b.Fatal(h.ErrorString)
			}
		}
	})
	b.Run("impl=lookuphost", func(b *testing.B) {
		recv := receiverOnLoop(b)
		done := make(chan dns.HostInfo, 1)
		slot := func(h dns.HostInfo) { done <- h }
		for b.Loop() {
			if _, err := c.LookupHost("h1.test", recv, slot); err != nil {
				b.Fatal(err)
			}
			<-done
		}
	})
	b.Run("impl=mutex-map", func(b *testing.B) {
		var mu sync.Mutex
		m := map[string][]netip.Addr{"h1.test": {netip.MustParseAddr("10.0.0.1")}}
		for b.Loop() {
			mu.Lock()
			a := m["h1.test"]
			mu.Unlock()
			if len(a) != 1 {
				b.Fatal()
			}
		}
	})
	if q := s.queries.Load(); q != 2 {
		b.Errorf("cached lookups reached the server: %d queries", q)
	}
}

// BenchmarkDNSUncached: one lookup (A and AAAA) of a name against the
// local server, with the cache off, against net.Resolver asking the
// same server directly.
func BenchmarkDNSUncached(b *testing.B) {
	s := startDNSServer(b)
	ctx := context.Background()
	b.Run("impl=slotnet", func(b *testing.B) {
		c := s.client(b, dns.WithoutCache())
		for b.Loop() {
			if h := c.FromName("h1.test"); len(h.Addresses) != 1 {
				b.Fatal(h.ErrorString)
			}
		}
	})
	b.Run("impl=net.Resolver", func(b *testing.B) {
		r := s.netResolver()
		for b.Loop() {
			if a, err := r.LookupNetIP(ctx, "ip", "h1.test."); err != nil || len(a) != 1 {
				b.Fatal(a, err)
			}
		}
	})
}

// BenchmarkDNSConcurrent: 1,000 lookups of 100 names started at once,
// with an empty cache each time; reports the queries the server got per
// round and the wall time of a round (ns/op). slotnet: LookupHost
// (no goroutine per waiting lookup) delivering to one loop; net.Resolver:
// a goroutine per lookup, as a Go program would do it.
func BenchmarkDNSConcurrent(b *testing.B) {
	const lookups, names = 1000, 100
	s := startDNSServer(b)
	ctx := context.Background()
	name := func(i int) string { return fmt.Sprintf("h%d.test", i%names) }
	b.Run("impl=slotnet", func(b *testing.B) {
		recv := receiverOnLoop(b)
		start := s.queries.Load()
		for b.Loop() {
			c := s.client(b) // an empty cache every round
			var wg sync.WaitGroup
			wg.Add(lookups)
			var failed atomic.Int64
			slot := func(h dns.HostInfo) {
				if len(h.Addresses) != 1 {
					failed.Add(1)
				}
				wg.Done()
			}
			for i := range lookups {
				if _, err := c.LookupHost(name(i), recv, slot); err != nil {
					b.Fatal(err)
				}
			}
			wg.Wait()
			if failed.Load() > 0 {
				b.Fatalf("%d lookups failed", failed.Load())
			}
		}
		b.ReportMetric(float64(s.queries.Load()-start)/float64(b.N), "queries/op")
	})
	b.Run("impl=net.Resolver", func(b *testing.B) {
		start := s.queries.Load()
		for b.Loop() {
			r := s.netResolver()
			var wg sync.WaitGroup
			var failed atomic.Int64
			for i := range lookups {
				wg.Go(func() {
					if a, err := r.LookupNetIP(ctx, "ip", name(i)+"."); err != nil || len(a) != 1 {
						failed.Add(1)
					}
				})
			}
			wg.Wait()
			if failed.Load() > 0 {
				b.Fatalf("%d lookups failed", failed.Load())
			}
		}
		b.ReportMetric(float64(s.queries.Load()-start)/float64(b.N), "queries/op")
	})
}
