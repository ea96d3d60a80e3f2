package mem

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/slotnet/slotnet/transport"
)

// dnsTTL is the TTL of every record the server answers with.
const dnsTTL = 60

// DNSServer answers DNS queries over the in-memory network from the
// network's names (its Zone, then its host names, as Host.LookupHost sees
// them), so that a net.Resolver whose Dial reaches it over the network
// resolves unchanged. It answers A, AAAA, CNAME and PTR queries, follows
// CNAME chains, answers NXDOMAIN and SERVFAIL, delays answers by the
// zone's latency and stays silent for NoAnswer names.
//
// It serves UDP and TCP on the same port, as a real server does. An answer
// larger than the client's UDP size (512 bytes, or what its EDNS0 record
// offers) or than the path to the client carries goes back over UDP
// truncated (the TC bit set, no records), and the client retries over TCP,
// where any size fits — so answers of any size resolve.
type DNSServer struct {
	sock *DatagramSocket
	ln   transport.Listener
	net  *Network
	done chan struct{} // closed by Close: delayed answers give up
	wg   sync.WaitGroup
	once sync.Once

	mu    sync.Mutex                    // guards conns
	conns map[transport.Stream]struct{} // open TCP connections, closed by Close
	site  *site                         // where it was started (WithCreationSites)
}

// ServeDNS starts a DNS server on local, over UDP and TCP on the same port
// (port 0 picks one for both; 53 is usual). Close stops it and waits for
// its goroutines.
func (h *Host) ServeDNS(local netip.AddrPort) (*DNSServer, error) {
	ctx := context.Background()
	d, err := h.BindDatagram(ctx, local, transport.BindOptions{})
	if err != nil {
		return nil, err
	}
	ln, err := h.Listen(ctx, d.LocalAddrPort(), transport.ListenOptions{})
	if err != nil {
		d.Close()
		return nil, err
	}
	srv := &DNSServer{sock: d.(*DatagramSocket), ln: ln, net: h.net, done: make(chan struct{}),
		conns: make(map[transport.Stream]struct{})}
	if h.net.life.sites {
		srv.site = newSite()
	}
	h.net.addDNS(srv)
	srv.wg.Add(2)
	go srv.serve()
	go srv.serveTCP()
	return srv, nil
}

// Addr returns the address the server listens on.
func (srv *DNSServer) Addr() netip.AddrPort { return srv.sock.LocalAddrPort() }

// Close stops the server, abandons delayed answers and waits for its
// goroutines. Closing twice is harmless.
func (srv *DNSServer) Close() error {
	srv.once.Do(func() {
		srv.net.removeDNS(srv)
		close(srv.done)
		srv.sock.Close()
		srv.ln.Close()
		srv.closeConns()
	})
	srv.wg.Wait()
	return nil
}

func (srv *DNSServer) serve() {
	defer srv.wg.Done()
	buf := make([]byte, 4096)
	for {
		n, meta, err := srv.sock.ReadDatagram(buf)
		if err != nil {
			return
		}
		if meta.Truncated {
			continue
		}
		resp, delay, ok := srv.answer(buf[:n], true)
		if !ok {
			continue
		}
		if delay <= 0 {
			srv.sendUDP(resp, meta.Src)
			continue
		}
		srv.wg.Add(1)
		go func() {
			defer srv.wg.Done()
			if srv.wait(delay) {
				srv.sendUDP(resp, meta.Src)
			}
		}()
	}
}

// sendUDP sends resp to a UDP client; an answer the path cannot carry goes
// truncated, so the client retries over TCP. A lost answer is a timeout
// for the client.
func (srv *DNSServer) sendUDP(resp []byte, to netip.AddrPort) {
	_, err := srv.sock.WriteDatagram(resp, to)
	if transport.CodeOf(err) == transport.DatagramTooLargeError {
		_, _ = srv.sock.WriteDatagram(truncate(resp), to)
	}
}

// wait waits out an answer's delay; false if the server closed first.
func (srv *DNSServer) wait(delay time.Duration) bool {
	if delay <= 0 {
		return true
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-srv.done:
		return false
	}
}

// answer builds the response to one query, its delay, and false when the
// server must stay silent (a malformed query, or a NoAnswer name). Over
// UDP a response larger than the client accepts is truncated.
func (srv *DNSServer) answer(query []byte, udp bool) (resp []byte, delay time.Duration, ok bool) {
	var p dnsmessage.Parser
	hdr, err := p.Start(query)
	if err != nil || hdr.Response {
		return nil, 0, false
	}
	q, err := p.Question()
	if err != nil {
		return reply(hdr, nil, dnsmessage.RCodeFormatError, nil), 0, true
	}
	resp, delay, ok = srv.respond(hdr, q)
	if ok && udp && len(resp) > udpSize(&p) {
		resp = truncate(resp)
	}
	return resp, delay, ok
}

// respond answers question q of a query with header hdr.
func (srv *DNSServer) respond(hdr dnsmessage.Header, q dnsmessage.Question) (resp []byte, delay time.Duration, ok bool) {
	r, answers := srv.lookup(q)
	if r.failure == NoAnswer {
		return nil, 0, false
	}
	rcode := dnsmessage.RCodeSuccess
	switch {
	case r.failure == ServFail:
		rcode = dnsmessage.RCodeServerFailure
	case r.failure == NXDomain || !r.exists():
		rcode = dnsmessage.RCodeNameError
	}
	return reply(hdr, &q, rcode, answers), r.latency, true
}

// exists reports whether the queried name has records.
func (r *result) exists() bool { return len(r.addrs) > 0 || len(r.names) > 0 || len(r.chain) > 0 }

// lookup resolves q and returns the answer records.
func (srv *DNSServer) lookup(q dnsmessage.Question) (result, []dnsmessage.Resource) {
	if q.Type == dnsmessage.TypePTR {
		addr, ok := parseReverse(q.Name.String())
		if !ok {
			return result{failure: NXDomain}, nil
		}
		r := srv.net.reverse(addr)
		var rrs []dnsmessage.Resource
		for _, n := range r.names {
			rrs = append(rrs, rr(q.Name, &dnsmessage.PTRResource{PTR: fqdn(n)}))
		}
		return r, rrs
	}
	name, err := canonicalName(q.Name.String())
	if err != nil {
		return result{failure: NXDomain}, nil
	}
	r := srv.net.resolve(name)
	var rrs []dnsmessage.Resource
	owner := q.Name
	for _, c := range r.chain {
		rrs = append(rrs, rr(owner, &dnsmessage.CNAMEResource{CNAME: fqdn(c.target)}))
		owner = fqdn(c.target)
		if q.Type == dnsmessage.TypeCNAME {
			return r, rrs
		}
	}
	for _, a := range r.addrs {
		switch {
		case a.Is4() && q.Type == dnsmessage.TypeA:
			rrs = append(rrs, rr(owner, &dnsmessage.AResource{A: a.As4()}))
		case a.Is6() && q.Type == dnsmessage.TypeAAAA:
			rrs = append(rrs, rr(owner, &dnsmessage.AAAAResource{AAAA: a.As16()}))
		}
	}
	return r, rrs
}

func rr(name dnsmessage.Name, body dnsmessage.ResourceBody) dnsmessage.Resource {
	return dnsmessage.Resource{
		Header: dnsmessage.ResourceHeader{Name: name, Class: dnsmessage.ClassINET, TTL: dnsTTL},
		Body:   body,
	}
}

func fqdn(name string) dnsmessage.Name {
	n, err := dnsmessage.NewName(name + ".")
	if err != nil {
		return dnsmessage.MustNewName(".")
	}
	return n
}

// reply packs a response to the query with header h.
func reply(h dnsmessage.Header, q *dnsmessage.Question, rcode dnsmessage.RCode, answers []dnsmessage.Resource) []byte {
	msg := dnsmessage.Message{
		Header: dnsmessage.Header{
			ID: h.ID, Response: true, OpCode: h.OpCode, Authoritative: true,
			RecursionDesired: h.RecursionDesired, RecursionAvailable: true, RCode: rcode,
		},
		Answers: answers,
	}
	if q != nil {
		msg.Questions = []dnsmessage.Question{*q}
	}
	b, err := msg.Pack()
	if err != nil {
		msg.Answers, msg.Header.RCode = nil, dnsmessage.RCodeServerFailure
		b, _ = msg.Pack()
	}
	return b
}

var errNotReverse = errors.New("not a reverse name")

// parseReverse turns an in-addr.arpa or ip6.arpa name back into an address.
func parseReverse(name string) (netip.Addr, bool) {
	a, err := reverseAddr(strings.ToLower(strings.TrimSuffix(name, ".")))
	return a, err == nil
}

func reverseAddr(name string) (netip.Addr, error) {
	if rest, ok := strings.CutSuffix(name, ".in-addr.arpa"); ok {
		parts := strings.Split(rest, ".")
		if len(parts) != 4 {
			return netip.Addr{}, errNotReverse
		}
		var b [4]byte
		for i, p := range parts {
			v, err := strconv.ParseUint(p, 10, 8)
			if err != nil {
				return netip.Addr{}, errNotReverse
			}
			b[3-i] = byte(v)
		}
		return netip.AddrFrom4(b), nil
	}
	rest, ok := strings.CutSuffix(name, ".ip6.arpa")
	parts := strings.Split(rest, ".")
	if !ok || len(parts) != 32 {
		return netip.Addr{}, errNotReverse
	}
	var b [16]byte
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 16, 4)
		if err != nil || len(p) != 1 {
			return netip.Addr{}, errNotReverse
		}
		b[15-i/2] |= byte(v) << (4 * (i % 2))
	}
	return netip.AddrFrom16(b), nil
}
