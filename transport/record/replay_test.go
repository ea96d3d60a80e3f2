package record

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/mem/memtest"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newClientHost returns a network with one host for the code under test;
// the network fails t if anything on it is left open when t ends.
func newClientHost(t testing.TB) *mem.Host {
	n := memtest.New(t)
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
				client := newClientHost(t)
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

// TestReplayRealTime: a replay needs no synctest bubble; in real time the
// ExpectShutdown probe and the deadlines run on the wall clock.
func TestReplayRealTime(t *testing.T) {
	script, real, port := recordUpper(t, false, "hello")
	client := newClientHost(t)
	rp := Replay(t, client, script)
	replayed := upperClient(context.Background(), client, "upper.example.test.", port, "hello")
	<-rp.Done()
	assert.NoError(t, rp.Err())
	assert.Equal(t, real, replayed)
}

// TestReplayLookups: recorded answers and failures come back from the
// in-memory Zone through the client host's own lookups.
func TestReplayLookups(t *testing.T) {
	ctx := context.Background()
	dns := dnsServer(t, map[string]netip.Addr{"a.example.test.": netip.MustParseAddr("192.0.2.7")})
	rec := New(netsock.New(netsock.WithResolver(transport.NewResolver(netsock.New(), dns))))
	_, err := rec.LookupHost(ctx, "a.example.test.")
	require.NoError(t, err)
	_, err = rec.LookupHost(ctx, "gone.example.test.")
	require.Error(t, err)
	s := rec.Script()
	// Hand-written additions: a failing server, a silent one, an IPv6
	// answer and a reverse lookup.
	more, err := Parse([]byte("-- lookup sick.example.test --\nerror servfail\n" +
		"-- lookup silent.example.test --\nerror timeout\n" +
		"-- lookup six.example.test --\n2001:db8::6\n" +
		"-- lookupaddr 192.0.2.7 --\na.example.test.\n"))
	require.NoError(t, err)
	s.Events = append(s.Events, more.Events...)

	synctest.Test(t, func(t *testing.T) {
		client := newClientHost(t)
		Replay(t, client, s)
		addrs, err := client.LookupHost(ctx, "a.example.test")
		assert.NoError(t, err)
		assert.Equal(t, []netip.Addr{netip.MustParseAddr("192.0.2.7")}, addrs)
		_, err = client.LookupHost(ctx, "gone.example.test")
		assert.ErrorIs(t, err, transport.HostNotFoundError)
		_, err = client.LookupHost(ctx, "sick.example.test")
		assert.ErrorIs(t, err, transport.HostNotFoundError)
		start := time.Now()
		_, err = client.LookupHost(ctx, "silent.example.test")
		assert.ErrorIs(t, err, transport.SocketTimeoutError)
		assert.Equal(t, mem.DefaultLookupTimeout, time.Since(start))
		addrs, err = client.LookupHost(ctx, "six.example.test")
		assert.NoError(t, err)
		assert.Equal(t, []netip.Addr{netip.MustParseAddr("2001:db8::6")}, addrs)
		names, err := client.LookupAddr(ctx, netip.MustParseAddr("192.0.2.7"))
		assert.NoError(t, err)
		// mem's Zone keeps names without the final dot that package net's
		// reverse lookups return.
		assert.Equal(t, []string{"a.example.test"}, names)
	})
}
