package record

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/slotnet/slotnet/transport"
)

// serveUpper runs the upper-case line protocol on ln for n connections:
// each line comes back upper-cased; at EOF the server closes. With abort
// set, it resets the connection after its first answer instead. The test's
// cleanup closes ln and waits for the server.
func serveUpper(t testing.TB, ln transport.Listener, n int, abort bool) {
	t.Helper()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range n {
			s, err := ln.AcceptStream(context.Background())
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); upper(s, abort) }()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
}

func upper(s transport.Stream, abort bool) {
	defer s.Close()
	r := bufio.NewReader(s)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if _, err := io.WriteString(s, strings.ToUpper(line)); err != nil {
			return
		}
		if abort {
			_ = s.Abort()
			return
		}
	}
}

// upperClient is the code under test: it looks up host (when it is a
// name), dials port, sends each line and reads its answer, half-closes
// and reads to the end, and reports what it saw, one event a string.
func upperClient(ctx context.Context, tr transport.Transport, host string, port uint16, lines ...string) []string {
	var seen []string
	see := func(format string, args ...any) { seen = append(seen, fmt.Sprintf(format, args...)) }
	addr, err := netip.ParseAddr(host)
	if err != nil {
		addrs, err := tr.LookupHost(ctx, host)
		if err != nil {
			see("lookup failed: %v", transport.CodeOf(err))
			return seen
		}
		see("resolved %v", addrs)
		addr = addrs[0]
	}
	s, err := tr.Dial(ctx, netip.AddrPortFrom(addr, port), transport.DialOptions{})
	if err != nil {
		see("dial failed: %v", transport.CodeOf(err))
		return seen
	}
	defer s.Close()
	see("connected")
	r := bufio.NewReader(s)
	for _, l := range lines {
		if _, err := io.WriteString(s, l+"\n"); err != nil {
			see("write failed: %v", transport.CodeOf(err))
			return seen
		}
		answer, err := r.ReadString('\n')
		if err != nil {
			see("read failed: %s", readEnd(err))
			return seen
		}
		see("got %q", answer)
	}
	_ = s.CloseWrite()
	see("half-closed")
	rest, err := io.ReadAll(r)
	see("read %q then %s", rest, readEnd(err))
	return seen
}

// readEnd names how a read ended.
func readEnd(err error) string {
	switch {
	case err == nil:
		return "EOF"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	}
	return err.Error()
}

// dnsServer is a real DNS server (miekg/dns) on 127.0.0.1 over UDP that
// answers the names in answers with A records and NXDOMAIN otherwise.
func dnsServer(t testing.TB, answers map[string]netip.Addr) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &mdns.Server{PacketConn: pc, Handler: mdns.HandlerFunc(func(w mdns.ResponseWriter, q *mdns.Msg) {
		m := new(mdns.Msg)
		m.SetReply(q)
		name := q.Question[0].Name
		a, ok := answers[name]
		switch {
		case !ok:
			m.Rcode = mdns.RcodeNameError
		case q.Question[0].Qtype == mdns.TypeA:
			m.Answer = append(m.Answer, &mdns.A{Hdr: mdns.RR_Header{Name: name, Rrtype: mdns.TypeA, Class: mdns.ClassINET, Ttl: 60}, A: a.AsSlice()})
		}
		_ = w.WriteMsg(m)
	})}
	var started, done sync.WaitGroup
	started.Add(1)
	done.Add(1)
	srv.NotifyStartedFunc = started.Done
	go func() { defer done.Done(); _ = srv.ActivateAndServe() }()
	started.Wait()
	t.Cleanup(func() { _ = srv.Shutdown(); done.Wait() })
	return netip.MustParseAddrPort(pc.LocalAddr().String())
}

// kinds lists a script's events without their delays, one a string, for
// comparing what happened whatever the timing. Consecutive chunks sent the
// same way on one connection count as one: how a reader's Reads cut the
// stream is not an event.
func kinds(s *Script) []string {
	var out []string
	var last *Event
	for _, e := range s.Events {
		e.Delay = 0
		if last != nil && e.Kind == Send && last.Kind == Send && e.ID == last.ID && e.Side == last.Side {
			last.Data = append(last.Data, e.Data...)
			out = out[:len(out)-1]
		} else {
			e.Data = append([]byte(nil), e.Data...)
			last = &e
		}
		name, body := last.section()
		out = append(out, strings.TrimSpace(name+"\n"+string(body)))
	}
	return out
}

func bytesReplace(b []byte, old, new string) []byte {
	return []byte(strings.ReplaceAll(string(b), old, new))
}
