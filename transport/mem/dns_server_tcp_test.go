package mem

import (
	"context"
	"encoding/binary"
	"io"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"

	"github.com/slotnet/slotnet/transport"
)

// bigZone adds "big.example.test" with n A records (10.1.i/256.i%256).
func bigZone(t *testing.T, z *Zone, n int) []netip.Addr {
	t.Helper()
	addrs := make([]netip.Addr, n)
	for i := range addrs {
		addrs[i] = netip.AddrFrom4([4]byte{10, 1, byte(i / 256), byte(i%256 + 1)})
	}
	require.NoError(t, z.AddA("big.example.test", addrs...))
	return addrs
}

// dnsQuery packs an A query for name, with an EDNS0 record offering
// ednsSize bytes when ednsSize > 0.
func dnsQuery(t *testing.T, name string, ednsSize int) []byte {
	t.Helper()
	msg := dnsmessage.Message{
		Header:    dnsmessage.Header{ID: 42, RecursionDesired: true},
		Questions: []dnsmessage.Question{{Name: dnsmessage.MustNewName(name), Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}},
	}
	if ednsSize > 0 {
		var opt dnsmessage.ResourceHeader
		require.NoError(t, opt.SetEDNS0(ednsSize, dnsmessage.RCodeSuccess, false))
		msg.Additionals = []dnsmessage.Resource{{Header: opt, Body: &dnsmessage.OPTResource{}}}
	}
	b, err := msg.Pack()
	require.NoError(t, err)
	return b
}

// TestDNSServerLargeAnswerResolves: 100 A records do not fit a UDP answer;
// net.Resolver gets a truncated one, retries over TCP and sees them all.
func TestDNSServerLargeAnswerResolves(t *testing.T) {
	w, z := dgZoneWorld(t)
	want := bigZone(t, z, 100)
	srv, err := w.b.ServeDNS(dgAP("10.0.0.2:53"))
	require.NoError(t, err)
	defer srv.Close()
	r := dgResolver(t, w.a, srv.Addr())
	ips, err := r.LookupNetIP(context.Background(), "ip4", "big.example.test.")
	require.NoError(t, err)
	assert.ElementsMatch(t, want, dgUnmap(ips))
}

// TestDNSServerTruncates: over UDP an answer larger than 512 bytes (no
// EDNS0) or than the EDNS0 size comes back with TC and no records; one
// that fits the offered EDNS0 size comes back whole.
func TestDNSServerTruncates(t *testing.T) {
	w, z := dgZoneWorld(t)
	bigZone(t, z, 40) // 40 records: about 700 bytes
	srv, err := w.b.ServeDNS(dgAP("10.0.0.2:53"))
	require.NoError(t, err)
	defer srv.Close()
	c := bindDG(t, w.a, "10.0.0.1:0", transport.BindOptions{})
	for _, tc := range []struct {
		edns      int
		truncated bool
		answers   int
	}{{0, true, 0}, {600, true, 0}, {1232, false, 40}} {
		_, err := c.WriteDatagram(dnsQuery(t, "big.example.test.", tc.edns), srv.Addr())
		require.NoError(t, err)
		p, _ := dgRecv(t, c)
		var m dnsmessage.Message
		require.NoError(t, m.Unpack([]byte(p)))
		assert.Equal(t, tc.truncated, m.Header.Truncated, "EDNS0 size %d", tc.edns)
		assert.Len(t, m.Answers, tc.answers, "EDNS0 size %d", tc.edns)
		if tc.truncated {
			assert.LessOrEqual(t, len(p), classicUDPSize)
		}
	}
}

// TestDNSServerTCP: two length-prefixed queries on one connection are
// answered in order, whole, whatever their size.
func TestDNSServerTCP(t *testing.T) {
	w, z := dgZoneWorld(t)
	bigZone(t, z, 300)
	srv, err := w.b.ServeDNS(dgAP("10.0.0.2:0"))
	require.NoError(t, err)
	defer srv.Close()
	s, err := w.a.Dial(context.Background(), netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), srv.Addr().Port()), transport.DialOptions{})
	require.NoError(t, err)
	defer s.Close()
	for _, name := range []string{"big.example.test.", "www.example.test."} {
		q := dnsQuery(t, name, 0)
		_, err := s.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(q))), q...))
		require.NoError(t, err)
		var size [2]byte
		_, err = io.ReadFull(s, size[:])
		require.NoError(t, err)
		resp := make([]byte, binary.BigEndian.Uint16(size[:]))
		_, err = io.ReadFull(s, resp)
		require.NoError(t, err)
		var m dnsmessage.Message
		require.NoError(t, m.Unpack(resp))
		assert.False(t, m.Header.Truncated, name)
		if name == "big.example.test." {
			assert.Len(t, m.Answers, 300)
		} else {
			assert.Len(t, m.Answers, 1)
		}
	}
}

// TestDNSServerCloseEndsTCP: Close ends open TCP connections, so the
// server's goroutines finish while a client still holds one.
func TestDNSServerCloseEndsTCP(t *testing.T) {
	w, _ := dgZoneWorld(t)
	srv, err := w.b.ServeDNS(dgAP("10.0.0.2:53"))
	require.NoError(t, err)
	s, err := w.a.Dial(context.Background(), srv.Addr(), transport.DialOptions{})
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, srv.Close())
	_, err = s.Read(make([]byte, 1))
	assert.Error(t, err, "the server closed the connection")
}
