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

// DNSServer answers DNS queries over the in-memory datagram path from the
// network's names (its Zone, then its host names, as Host.LookupHost sees
// them), so that a net.Resolver whose Dial reaches it over the network
// resolves unchanged. It answers A, AAAA, CNAME and PTR queries, follows
// CNAME chains, answers NXDOMAIN and SERVFAIL, delays answers by the
// zone's latency and stays silent for NoAnswer names.
type DNSServer struct {
	sock *DatagramSocket
	net  *Network
	done chan struct{} // closed by Close: delayed answers give up
	wg   sync.WaitGroup
	once sync.Once
}

// ServeDNS starts a DNS server on local (port 0 picks one; 53 is usual).
// Close stops it and waits for its goroutines.
func (h *Host) ServeDNS(local netip.AddrPort) (*DNSServer, error) {
	d, err := h.BindDatagram(context.Background(), local, transport.BindOptions{})
	if err != nil {
		return nil, err
	}
	srv := &DNSServer{sock: d.(*DatagramSocket), net: h.net, done: make(chan struct{})}
	srv.wg.Add(1)
	go srv.serve()
	return srv, nil
}

// Addr returns the address the server listens on.
func (srv *DNSServer) Addr() netip.AddrPort { return srv.sock.LocalAddrPort() }

// Close stops the server, abandons delayed answers and waits for its
// goroutines. Closing twice is harmless.
func (srv *DNSServer) Close() error {
	srv.once.Do(func() {
		close(srv.done)
		srv.sock.Close()
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
		resp, delay, ok := srv.answer(buf[:n])
		if !ok {
			continue
		}
		if delay <= 0 {
			_, _ = srv.sock.WriteDatagram(resp, meta.Src) // a lost answer is a timeout for the client
			continue
		}
		srv.wg.Add(1)
		go srv.answerLater(resp, meta.Src, delay)
	}
}

// answerLater sends resp after delay unless the server closes first.
func (srv *DNSServer) answerLater(resp []byte, to netip.AddrPort, delay time.Duration) {
	defer srv.wg.Done()
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		_, _ = srv.sock.WriteDatagram(resp, to) // a lost answer is a timeout for the client
	case <-srv.done:
	}
}

// answer builds the response to one query, its delay, and false when the
// server must stay silent (a malformed query, or a NoAnswer name).
func (srv *DNSServer) answer(query []byte) (resp []byte, delay time.Duration, ok bool) {
	var p dnsmessage.Parser
	hdr, err := p.Start(query)
	if err != nil || hdr.Response {
		return nil, 0, false
	}
	q, err := p.Question()
	if err != nil {
		return reply(hdr, nil, dnsmessage.RCodeFormatError, nil), 0, true
	}
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
