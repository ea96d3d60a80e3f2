package record

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newClientHost returns a network with one host for the code under test.
func newClientHost() *mem.Host {
	n := mem.New(mem.WithSeed(1))
	return n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
}

// recordUpper records upperClient against a real line-protocol server on
// loopback, reached by a name a real DNS server answers.
func recordUpper(t *testing.T, abort bool, lines ...string) (*Script, []string, uint16) {
	t.Helper()
	return recordWith(t, abort, func(tr transport.Transport, port uint16) []string {
		return upperClient(context.Background(), tr, "upper.example.test.", port, lines...)
	})
}

// recordWith records client against a real line-protocol server on
// loopback, with a real DNS server answering "upper.example.test." with
// 127.0.0.1, and returns the script (through its text form, as a script
// saved in testdata would be), what the client saw and the server's port.
func recordWith(t *testing.T, abort bool, client func(tr transport.Transport, port uint16) []string) (*Script, []string, uint16) {
	t.Helper()
	ctx := context.Background()
	dns := dnsServer(t, map[string]netip.Addr{"upper.example.test.": netip.MustParseAddr("127.0.0.1")})
	os := netsock.New(netsock.WithResolver(transport.NewResolver(netsock.New(), dns)))
	ln, err := os.Listen(ctx, loopback0, transport.ListenOptions{})
	require.NoError(t, err)
	serveUpper(t, ln, 1, abort)
	rec := New(os)
	seen := client(rec, ln.AddrPort().Port())
	text, err := rec.Marshal()
	require.NoError(t, err)
	t.Logf("recorded:\n%s", text)
	s, err := Parse(text)
	require.NoError(t, err)
	return s, seen, ln.AddrPort().Port()
}

// TestRecordReplayLineProtocol records the line protocol against a real
// server, then replays it in memory against the same client code: the
// client sees the same things in the same order, and a recording of the
// replay has the same events.
func TestRecordReplayLineProtocol(t *testing.T) {
	for _, tc := range []struct {
		name  string
		abort bool // the server resets after its first answer
		lines []string
		want  []string
	}{
		{"fin", false, []string{"hello", "world"}, []string{`got "HELLO\n"`, `got "WORLD\n"`, "half-closed", `read "" then EOF`}},
		{"reset", true, []string{"hello"}, []string{`got "HELLO\n"`, "half-closed", `read "" then reset`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script, real, port := recordUpper(t, tc.abort, tc.lines...)
			require.Equal(t, append([]string{"resolved [127.0.0.1]", "connected"}, tc.want...), real)
			synctest.Test(t, func(t *testing.T) {
				client := newClientHost()
				rp := Replay(t, client, script)
				again := New(client)
				replayed := upperClient(context.Background(), again, "upper.example.test.", port, tc.lines...)
				<-rp.Done()
				assert.NoError(t, rp.Err())
				assert.Equal(t, real, replayed, "the client sees what it saw against the real server")
				assert.Equal(t, kinds(script), kinds(again.Script()), "the same events in the same order")
			})
		})
	}
}

func ifaceAt(prefix string) mem.IfaceConfig {
	return mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix(prefix)}}
}
