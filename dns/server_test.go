package dns

import (
	"net"
	"net/netip"
	"sync"
	"testing"

	mdns "github.com/miekg/dns"
)

// testServer is a real DNS server (miekg/dns) on 127.0.0.1 at a random
// port, UDP and TCP, that counts the queries it gets per name.
type testServer struct {
	addr    netip.AddrPort
	release chan struct{} // closing it lets "slow.test." answer
	slowIn  chan struct{} // closed when the first "slow.test." query arrives
	slowOne sync.Once
	idle    *sync.Cond // signalled when a handler returns; uses mu
	serving int        // handlers running; guarded by mu
	mu      sync.Mutex
	counts  map[string]int // "name type proto" → queries
}

func startServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{release: make(chan struct{}), slowIn: make(chan struct{}), counts: make(map[string]int)}
	s.idle = sync.NewCond(&s.mu)
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	s.addr = netip.MustParseAddrPort(pc.LocalAddr().String())
	udp := &mdns.Server{PacketConn: pc, Handler: mdns.HandlerFunc(s.serve)}
	tcp := &mdns.Server{Listener: ln, Handler: mdns.HandlerFunc(s.serve)}
	var wg, started sync.WaitGroup
	for _, srv := range []*mdns.Server{udp, tcp} {
		wg.Add(1)
		started.Add(1)
		srv.NotifyStartedFunc = started.Done
		go func() { defer wg.Done(); _ = srv.ActivateAndServe() }()
	}
	started.Wait() // Shutdown before the start would leave the server running
	var once sync.Once
	t.Cleanup(func() {
		once.Do(func() { s.unblock() })
		// Let every held answer go out before the sockets close: a
		// cancelled lookup's query still waits for its answer in package
		// net's resolver (up to its 5 s attempt timeout), which goleak
		// would report as a leak.
		s.mu.Lock()
		for s.serving > 0 {
			s.idle.Wait()
		}
		s.mu.Unlock()
		_ = udp.Shutdown()
		_ = tcp.Shutdown()
		wg.Wait()
	})
	return s
}

func (s *testServer) unblock() {
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

// count returns the queries for name (all types and protocols) so far.
func (s *testServer) count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, v := range s.counts {
		if len(k) > len(name) && k[:len(name)+1] == name+" " {
			n += v
		}
	}
	return n
}

func (s *testServer) countOf(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[key]
}

func rr(t string) mdns.RR {
	r, err := mdns.NewRR(t)
	if err != nil {
		panic(err)
	}
	return r
}

func (s *testServer) serve(w mdns.ResponseWriter, req *mdns.Msg) {
	s.mu.Lock()
	s.serving++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.serving--
		s.idle.Broadcast()
		s.mu.Unlock()
	}()
	q := req.Question[0]
	proto := "udp"
	if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
		proto = "tcp"
	}
	s.mu.Lock()
	s.counts[q.Name+" "+mdns.TypeToString[q.Qtype]+" "+proto]++
	s.mu.Unlock()
	m := new(mdns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	a, aaaa := q.Qtype == mdns.TypeA, q.Qtype == mdns.TypeAAAA
	switch q.Name {
	case "a.test.":
		if a {
			m.Answer = append(m.Answer, rr("a.test. 60 IN A 10.0.0.1"))
		}
	case "six.test.":
		if aaaa {
			m.Answer = append(m.Answer, rr("six.test. 60 IN AAAA 2001:db8::6"))
		}
	case "both.test.":
		if a {
			m.Answer = append(m.Answer, rr("both.test. 60 IN A 10.0.0.2"))
		}
		if aaaa {
			m.Answer = append(m.Answer, rr("both.test. 60 IN AAAA 2001:db8::2"))
		}
	case "alias.test.":
		m.Answer = append(m.Answer, rr("alias.test. 60 IN CNAME alias2.test."), rr("alias2.test. 60 IN CNAME a.test."))
		if a {
			m.Answer = append(m.Answer, rr("a.test. 60 IN A 10.0.0.1"))
		}
	case "xn--bcher-kva.test.": // bücher.test
		if a {
			m.Answer = append(m.Answer, rr("xn--bcher-kva.test. 60 IN A 10.0.0.7"))
		}
	case "big.test.":
		if proto == "udp" {
			m.Truncated = true
		} else if a {
			for i := range 40 {
				m.Answer = append(m.Answer, &mdns.A{Hdr: mdns.RR_Header{Name: q.Name, Rrtype: mdns.TypeA,
					Class: mdns.ClassINET, Ttl: 60}, A: net.IPv4(10, 1, 0, byte(i+1))})
			}
		}
	case "fail.test.":
		m.Rcode = mdns.RcodeServerFailure
	case "slow.test.":
		s.slowOne.Do(func() { close(s.slowIn) })
		<-s.release
		if a {
			m.Answer = append(m.Answer, rr("slow.test. 60 IN A 10.0.0.9"))
		}
	case "1.0.0.10.in-addr.arpa.":
		m.Answer = append(m.Answer, rr("1.0.0.10.in-addr.arpa. 60 IN PTR a.test."))
	default:
		m.Rcode = mdns.RcodeNameError
	}
	_ = w.WriteMsg(m)
}
