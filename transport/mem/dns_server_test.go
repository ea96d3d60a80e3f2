package mem

import (
	"context"
	"encoding/binary"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
	"golang.org/x/net/dns/dnsmessage"
)

// The DNS server runs in real time: package net's resolver keeps global
// state that must not be created inside a synctest bubble.
func TestDNSServerWithNetResolver(t *testing.T) {
	w, z := dgZoneWorld(t)
	require.NoError(t, z.SetFailure("broken.example.test", ServFail))
	require.NoError(t, z.SetFailure("silent.example.test", NoAnswer))
	require.NoError(t, z.SetLatency("slow.example.test", 30*time.Millisecond))
	require.NoError(t, z.AddA("slow.example.test", dgAddrs("10.0.0.33")...))

	srv, err := w.b.ServeDNS(dgAP("10.0.0.2:53"))
	require.NoError(t, err)
	defer srv.Close()
	assert.Equal(t, dgAP("10.0.0.2:53"), srv.Addr())
	r := dgResolver(t, w.a, srv.Addr())
	ctx := context.Background()

	ips, err := r.LookupNetIP(ctx, "ip", "www.example.test.")
	require.NoError(t, err)
	assert.ElementsMatch(t, dgAddrs("10.0.0.2", "fd00::2"), dgUnmap(ips))

	ips, err = r.LookupNetIP(ctx, "ip4", "alias.example.test.")
	require.NoError(t, err)
	assert.Equal(t, dgAddrs("10.0.0.2"), dgUnmap(ips), "through a CNAME chain")
	cname, err := r.LookupCNAME(ctx, "mid.example.test.")
	require.NoError(t, err)
	assert.Equal(t, "www.example.test.", cname)

	ips, err = r.LookupNetIP(ctx, "ip4", "slow.example.test.")
	require.NoError(t, err)
	assert.Equal(t, dgAddrs("10.0.0.33"), dgUnmap(ips))

	names, err := r.LookupAddr(ctx, "10.0.0.9")
	require.NoError(t, err)
	assert.Equal(t, []string{"db.example.test.", "db-primary.example.test."}, names)
	names, err = r.LookupAddr(ctx, "fd00::2")
	require.NoError(t, err)
	assert.Equal(t, []string{"www.example.test."}, names)

	_, err = r.LookupNetIP(ctx, "ip", "nosuch.example.test.")
	var de *net.DNSError
	require.ErrorAs(t, err, &de)
	assert.True(t, de.IsNotFound, "NXDOMAIN: %v", err)

	_, err = r.LookupNetIP(ctx, "ip4", "broken.example.test.")
	require.ErrorAs(t, err, &de)
	assert.False(t, de.IsNotFound, "SERVFAIL: %v", err)
	assert.Contains(t, de.Err, "server misbehaving")

	tctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	_, err = r.LookupNetIP(tctx, "ip4", "silent.example.test.")
	require.ErrorAs(t, err, &de)
	assert.True(t, de.IsTimeout, "no answer: %v", err)

	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close(), "Close is idempotent")
}

func TestDNSServerCloseAbandonsDelayedAnswers(t *testing.T) {
	w, z := dgZoneWorld(t)
	require.NoError(t, z.SetLatency("", time.Hour))
	srv, err := w.b.ServeDNS(dgAP("0.0.0.0:0"))
	require.NoError(t, err)
	r := dgResolver(t, w.a, netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), srv.Addr().Port()))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = r.LookupNetIP(ctx, "ip4", "www.example.test.")
	require.Error(t, err)
	require.NoError(t, srv.Close(), "returns although answers are dgPending an hour")
}

func TestDNSServerIgnoresGarbage(t *testing.T) {
	w, _ := dgZoneWorld(t)
	srv, err := w.b.ServeDNS(dgAP("10.0.0.2:53"))
	require.NoError(t, err)
	defer srv.Close()
	c := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, c, "not dns", "10.0.0.2:53")
	// The 12-byte header parses, the question does not: FORMERR.
	dgSend(t, c, string([]byte{0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}), "10.0.0.2:53")
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	p, _ := dgRecv(t, c)
	require.GreaterOrEqual(t, len(p), 4)
	assert.Equal(t, byte(7), p[1], "the query's id")
	assert.Equal(t, byte(1), p[3]&0xf, "FORMERR")
}

// dgResolver is transport.NewResolver's resolver, except that the test's
// end closes the connections it dialled and refuses new ones: package
// net's resolver keeps querying a silent server in the background, with
// its own timeouts, after the lookup has returned.
func dgResolver(t *testing.T, h *Host, server netip.AddrPort) *net.Resolver {
	var mu sync.Mutex // guards conns and done
	var conns []net.Conn
	done := false
	dial := transport.DialContextFunc(h)
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		done = true
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		mu.Lock()
		defer mu.Unlock()
		if done {
			return nil, net.ErrClosed
		}
		c, err := dial(ctx, network, server.String())
		if err == nil {
			conns = append(conns, c)
		}
		return c, err
	}}
}

func dgUnmap(as []netip.Addr) []netip.Addr {
	out := make([]netip.Addr, len(as))
	for i, a := range as {
		out[i] = a.Unmap()
	}
	return out
}

// FuzzDNSServerAnswer feeds arbitrary queries to the server: it must never
// panic, and whatever it answers must be a well-formed DNS response.
func FuzzDNSServerAnswer(f *testing.F) {
	for _, name := range []string{"www.example.test.", "alias.example.test.", "9.0.0.10.in-addr.arpa.", "x."} {
		for _, typ := range []dnsmessage.Type{dnsmessage.TypeA, dnsmessage.TypeAAAA, dnsmessage.TypeCNAME, dnsmessage.TypePTR, dnsmessage.TypeMX} {
			msg := dnsmessage.Message{Header: dnsmessage.Header{ID: 9, RecursionDesired: true},
				Questions: []dnsmessage.Question{{Name: dnsmessage.MustNewName(name), Type: typ, Class: dnsmessage.ClassINET}}}
			b, err := msg.Pack()
			require.NoError(f, err)
			f.Add(b)
		}
	}
	f.Add([]byte{0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, query []byte) {
		w, _ := dgZoneWorld(t)
		srv := &DNSServer{net: w.n}
		resp, _, ok := srv.answer(query, true)
		if !ok {
			return
		}
		var m dnsmessage.Message
		require.NoError(t, m.Unpack(resp))
		assert.True(t, m.Header.Response)
		assert.Equal(t, binary.BigEndian.Uint16(query), m.Header.ID)
	})
}
