package peer

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// dnsTTL is the TTL of every record the server answers with.
const dnsTTL = 60

// maxUDPAnswer is the largest answer sent over UDP without truncation.
const maxUDPAnswer = 512

// serve is the server's goroutine: read a query, record and check it,
// answer it (now or after its delay), until pc is closed.
func (d *DNS) serve(pc net.PacketConn) {
	defer d.wg.Done()
	defer d.stopped()
	buf := make([]byte, 4096)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		resp, delay, ok := d.answer(buf[:n], addrPort(addr), true)
		if !ok {
			continue
		}
		if delay <= 0 {
			_, _ = pc.WriteTo(resp, addr)
			continue
		}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			if d.sc.sleep(delay) {
				_, _ = pc.WriteTo(resp, addr)
			}
		}()
	}
}

// serveStream is the TCP server's goroutine: accept connections and answer
// each one's length-prefixed queries (RFC 1035 4.2.2) in order, until ln
// is closed at the end of the test.
func (d *DNS) serveStream(ln net.Listener) {
	defer d.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		d.wg.Add(2)
		done := make(chan struct{})
		go func() { // the end of the test ends the connection
			defer d.wg.Done()
			select {
			case <-d.sc.stop:
				_ = c.Close()
			case <-done:
			}
		}()
		go func() {
			defer d.wg.Done()
			defer close(done)
			defer c.Close()
			d.serveConn(c)
		}()
	}
}

// serveConn answers one TCP connection's queries until it ends.
func (d *DNS) serveConn(c net.Conn) {
	from := addrPort(c.RemoteAddr())
	var hdr [2]byte
	for {
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			return
		}
		msg := make([]byte, binary.BigEndian.Uint16(hdr[:]))
		if _, err := io.ReadFull(c, msg); err != nil {
			return
		}
		resp, delay, ok := d.answer(msg, from, false)
		if !ok {
			continue // silence: the client's own timeout decides
		}
		if delay > 0 && !d.sc.sleep(delay) {
			return
		}
		out := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(resp)), uint16(len(resp)))
		if _, err := c.Write(append(out, resp...)); err != nil {
			return
		}
	}
}

// stopped runs when the server stops: expectations left fail the test.
func (d *DNS) stopped() {
	i, st, ok := d.sc.current()
	d.sc.mu.Lock()
	failed := d.sc.err != nil
	d.sc.mu.Unlock()
	if ok && !failed {
		d.sc.fail(&StepError{
			Step: i, Desc: st.desc, Offset: -1, Diff: -1,
			Msg:  "the test ended before this name was asked; asked: " + d.asked(),
			Left: d.sc.left(i + 1),
		})
	}
	d.sc.finish()
}

// asked summarises the queries received: each run of queries for one
// name, with their types.
func (d *DNS) asked() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.queries) == 0 {
		return "nothing"
	}
	var parts []string
	var types []string
	for i, q := range d.queries {
		types = append(types, q.Type)
		if i+1 == len(d.queries) || d.queries[i+1].Name != q.Name {
			parts = append(parts, fmt.Sprintf("%q (%s)", q.Name, strings.Join(types, ", ")))
			types = nil
		}
	}
	return strings.Join(parts, ", ")
}

// check records a query and matches it against the expectations.
func (d *DNS) check(q Query) {
	d.mu.Lock()
	d.queries = append(d.queries, q)
	n := len(d.queries)
	same := q.Name == d.last
	d.last = q.Name
	d.mu.Unlock()
	d.sc.mu.Lock()
	failed := d.sc.err != nil
	d.sc.mu.Unlock()
	if same || failed {
		return
	}
	i, st, ok := d.sc.current()
	switch {
	case !ok:
		return // beyond the script
	case st.name != q.Name:
		d.sc.fail(&StepError{
			Step: i, Desc: st.desc, Offset: -1, Diff: -1,
			Msg:  fmt.Sprintf("query %d asked %q (%s) from %v", n, q.Name, q.Type, q.From),
			Left: d.sc.left(i + 1),
		})
		d.sc.finish()
		return
	}
	d.sc.advance(i)
	if _, _, more := d.sc.current(); !more {
		d.sc.finish()
	}
}

// answer parses a query and builds its response; false means stay silent
// (a malformed query, a response, a Silent name).
// Over UDP (udp set) an answer longer than 512 bytes is cut to its
// question with TC set, so the client asks again over TCP.
func (d *DNS) answer(msg []byte, from netip.AddrPort, udp bool) (resp []byte, delay time.Duration, ok bool) {
	var p dnsmessage.Parser
	hdr, err := p.Start(msg)
	if err != nil || hdr.Response {
		return nil, 0, false
	}
	q, err := p.Question()
	if err != nil {
		return build(hdr, nil, dnsmessage.RCodeFormatError, nil), 0, true
	}
	name := strings.ToLower(q.Name.String())
	d.check(Query{Name: name, Type: strings.TrimPrefix(q.Type.String(), "Type"), From: from})

	d.mu.Lock()
	rcode, answers, delay, silent := d.lookup(q)
	d.mu.Unlock()
	if silent {
		return nil, 0, false
	}
	resp = build(hdr, &q, rcode, answers)
	if udp && len(resp) > maxUDPAnswer {
		resp = build(hdr, &q, rcode, nil)
		resp[2] |= 0x02 // TC
	}
	return resp, delay, true
}

// lookup answers q from the table; d.mu is held.
func (d *DNS) lookup(q dnsmessage.Question) (dnsmessage.RCode, []dnsmessage.Resource, time.Duration, bool) {
	name := canonical(q.Name.String())
	first := d.names[name]
	if first == nil {
		return dnsmessage.RCodeNameError, nil, 0, false
	}
	delay := first.delay
	var rrs []dnsmessage.Resource
	owner := q.Name
	for hops := 0; ; hops++ {
		n := d.names[name]
		switch {
		case n == nil:
			return dnsmessage.RCodeNameError, rrs, delay, false
		case n.mode == answerSilent:
			return 0, nil, 0, true
		case n.mode == answerNXDomain:
			return dnsmessage.RCodeNameError, rrs, delay, false
		case n.mode == answerServFail || hops > 8:
			return dnsmessage.RCodeServerFailure, nil, delay, false
		case n.cname != "" && q.Type != dnsmessage.TypeCNAME:
			target, err := dnsmessage.NewName(n.cname) // checked by CNAME
			if err != nil {
				return dnsmessage.RCodeServerFailure, nil, delay, false
			}
			rrs = append(rrs, record(owner, &dnsmessage.CNAMEResource{CNAME: target}))
			owner, name = target, n.cname
			continue
		case n.cname != "":
			target, _ := dnsmessage.NewName(n.cname) // checked by CNAME
			rrs = append(rrs, record(owner, &dnsmessage.CNAMEResource{CNAME: target}))
		case q.Type == dnsmessage.TypeA:
			for _, a := range n.a {
				rrs = append(rrs, record(owner, &dnsmessage.AResource{A: a.As4()}))
			}
		case q.Type == dnsmessage.TypeAAAA:
			for _, a := range n.aaaa {
				rrs = append(rrs, record(owner, &dnsmessage.AAAAResource{AAAA: a.As16()}))
			}
		}
		return dnsmessage.RCodeSuccess, rrs, delay, false
	}
}

// record makes a resource record of owner with body.
func record(owner dnsmessage.Name, body dnsmessage.ResourceBody) dnsmessage.Resource {
	return dnsmessage.Resource{
		Header: dnsmessage.ResourceHeader{Name: owner, Class: dnsmessage.ClassINET, TTL: dnsTTL},
		Body:   body,
	}
}

// build packs a response to the query with header hdr.
func build(hdr dnsmessage.Header, q *dnsmessage.Question, rcode dnsmessage.RCode, answers []dnsmessage.Resource) []byte {
	m := dnsmessage.Message{
		Header: dnsmessage.Header{
			ID: hdr.ID, Response: true, Authoritative: true, OpCode: hdr.OpCode,
			RecursionDesired: hdr.RecursionDesired, RecursionAvailable: true, RCode: rcode,
		},
		Answers: answers,
	}
	if q != nil {
		m.Questions = []dnsmessage.Question{*q}
	}
	b, err := m.Pack()
	if err != nil { // only a malformed name gets here; answer SERVFAIL
		m.Answers, m.Header.RCode = nil, dnsmessage.RCodeServerFailure
		b, _ = m.Pack()
	}
	return b
}
