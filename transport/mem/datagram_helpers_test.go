package mem

import (
	"context"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// dgSeed is the fixed seed of the datagram tests; their golden counts
// depend on it.
const dgSeed = 42

// dgWorld is a network for the datagram tests: a and b share the LAN
// 10.0.0.0/24 (and fd00::/64), c is on 10.0.1.0/24.
type dgWorld struct {
	n       *Network
	a, b, c *Host
}

func newDGWorld(t testing.TB, opts ...Option) dgWorld {
	t.Helper()
	n := New(append([]Option{WithSeed(dgSeed)}, opts...)...)
	pfx := netip.MustParsePrefix
	return dgWorld{
		n: n,
		a: n.MustAddHost("a", IfaceConfig{Prefixes: []netip.Prefix{pfx("10.0.0.1/24"), pfx("fd00::1/64")}}),
		b: n.MustAddHost("b", IfaceConfig{Prefixes: []netip.Prefix{pfx("10.0.0.2/24"), pfx("fd00::2/64")}}),
		c: n.MustAddHost("c", IfaceConfig{Prefixes: []netip.Prefix{pfx("10.0.1.3/24")}}),
	}
}

func dgAP(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// bindDG binds a datagram socket on h at local and closes it at the end of
// the test.
func bindDG(t testing.TB, h *Host, local string, opts transport.BindOptions) *DatagramSocket {
	t.Helper()
	d, err := h.BindDatagram(context.Background(), dgAP(local), opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return d.(*DatagramSocket)
}

// dgSend writes payload to dst and requires success.
func dgSend(t testing.TB, s *DatagramSocket, payload string, dst string) {
	t.Helper()
	n, err := s.WriteDatagram([]byte(payload), dgAP(dst))
	require.NoError(t, err)
	require.Equal(t, len(payload), n)
}

// dgRecv reads one datagram (which must be queued already, or arrive).
func dgRecv(t testing.TB, s *DatagramSocket) (string, transport.DatagramMeta) {
	t.Helper()
	buf := make([]byte, 70000)
	n, meta, err := s.ReadDatagram(buf)
	require.NoError(t, err)
	return string(buf[:n]), meta
}

// dgPending returns how many datagrams are queued on s.
func dgPending(s *DatagramSocket) int {
	n, _ := s.Pending()
	return n
}

// dgDrain reads every queued datagram of s without blocking.
func dgDrain(t testing.TB, s *DatagramSocket) []string {
	t.Helper()
	var out []string
	for dgPending(s) > 0 {
		p, _ := dgRecv(t, s)
		out = append(out, p)
	}
	return out
}

func dgPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func dgNoPeer() netip.AddrPort { return netip.AddrPort{} }
