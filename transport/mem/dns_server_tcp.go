package mem

import (
	"context"
	"encoding/binary"
	"io"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/slotnet/slotnet/transport"
)

// classicUDPSize is the largest DNS message over UDP without EDNS0 (RFC 1035).
const classicUDPSize = 512

// serveTCP accepts DNS-over-TCP connections until the server closes.
func (srv *DNSServer) serveTCP() {
	defer srv.wg.Done()
	for {
		s, err := srv.ln.AcceptStream(context.Background())
		if err != nil {
			return
		}
		if !srv.track(s) {
			s.Close()
			return
		}
		srv.wg.Add(1)
		go srv.serveConn(s)
	}
}

// track records an open connection; false once the server is closing.
func (srv *DNSServer) track(s transport.Stream) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	select {
	case <-srv.done:
		return false
	default:
	}
	srv.conns[s] = struct{}{}
	return true
}

// closeConns closes every open TCP connection, unblocking their readers.
func (srv *DNSServer) closeConns() {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for s := range srv.conns {
		s.Close()
	}
}

// serveConn answers the length-prefixed queries of one TCP connection
// (RFC 1035 4.2.2) in order until the client closes it.
func (srv *DNSServer) serveConn(s transport.Stream) {
	defer srv.wg.Done()
	defer func() {
		srv.mu.Lock()
		delete(srv.conns, s)
		srv.mu.Unlock()
		s.Close()
	}()
	var size [2]byte
	for {
		if _, err := io.ReadFull(s, size[:]); err != nil {
			return
		}
		query := make([]byte, binary.BigEndian.Uint16(size[:]))
		if _, err := io.ReadFull(s, query); err != nil {
			return
		}
		resp, delay, ok := srv.answer(query, false)
		if !ok {
			continue // silent, as over UDP: the client times out
		}
		if !srv.wait(delay) {
			return
		}
		msg := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(resp)), uint16(len(resp)))
		if _, err := s.Write(append(msg, resp...)); err != nil {
			return
		}
	}
}

// udpSize is the largest UDP response the query's sender accepts: its
// EDNS0 payload size, or 512 bytes without EDNS0. p has read the question.
func udpSize(p *dnsmessage.Parser) int {
	if p.SkipAllQuestions() != nil || p.SkipAllAnswers() != nil || p.SkipAllAuthorities() != nil {
		return classicUDPSize
	}
	for {
		h, err := p.AdditionalHeader()
		if err != nil {
			return classicUDPSize
		}
		if h.Type == dnsmessage.TypeOPT {
			return max(int(h.Class), classicUDPSize) // OPT's class is the payload size
		}
		if p.SkipAdditional() != nil {
			return classicUDPSize
		}
	}
}

// truncate returns resp with the TC bit set and only its question: the
// answer did not fit, and the client is to ask again over TCP.
func truncate(resp []byte) []byte {
	var msg dnsmessage.Message
	if err := msg.Unpack(resp); err != nil {
		return resp
	}
	msg.Header.Truncated = true
	msg.Answers, msg.Authorities, msg.Additionals = nil, nil, nil
	b, err := msg.Pack()
	if err != nil {
		return resp
	}
	return b
}
