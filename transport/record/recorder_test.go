package record

import (
	"context"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var loopback0 = netip.MustParseAddrPort("127.0.0.1:0")

// TestRecordFIN records the line protocol over real loopback sockets: the
// bytes each way, the client's FIN, the server's FIN seen as EOF, the
// client's close.
func TestRecordFIN(t *testing.T) {
	ctx := context.Background()
	os := netsock.New()
	ln, err := os.Listen(ctx, loopback0, transport.ListenOptions{})
	require.NoError(t, err)
	serveUpper(t, ln, 1, false)

	rec := New(os)
	seen := upperClient(ctx, rec, "127.0.0.1", ln.AddrPort().Port(), "hello", "world")
	assert.Equal(t, []string{"connected", `got "HELLO\n"`, `got "WORLD\n"`, "half-closed", `read "" then EOF`}, seen)

	s := rec.Script()
	require.Len(t, s.Conns, 1)
	assert.Equal(t, ln.AddrPort(), s.Conns[0].Server)
	assert.Equal(t, netip.MustParseAddr("127.0.0.1"), s.Conns[0].Client.Addr())
	assert.Equal(t, []string{
		"conn 1 open",
		"conn 1 client send\nhello",
		"conn 1 server send\nHELLO",
		"conn 1 client send\nworld",
		"conn 1 server send\nWORLD",
		"conn 1 client fin",
		"conn 1 server fin",
		"conn 1 client close",
	}, kinds(s))
	var total time.Duration
	for _, e := range s.Events {
		assert.Zero(t, e.Delay%time.Microsecond, "delays are rounded to the resolution")
		total += e.Delay
	}
	assert.Positive(t, total, "real time passed")
	_, err = rec.Marshal()
	require.NoError(t, err)
}

// TestRecordReset: a server that aborts is recorded as "server reset",
// not a FIN; a client that aborts as "client reset".
func TestRecordReset(t *testing.T) {
	ctx := context.Background()
	os := netsock.New()
	ln, err := os.Listen(ctx, loopback0, transport.ListenOptions{})
	require.NoError(t, err)
	serveUpper(t, ln, 2, true)

	rec := New(os)
	s, err := rec.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
	require.NoError(t, err)
	_, err = io.WriteString(s, "hello\n")
	require.NoError(t, err)
	got, err := io.ReadAll(s)
	assert.Equal(t, "HELLO\n", string(got))
	assert.Equal(t, "reset", readEnd(err), "the server's abort reaches the client as a reset")
	_, _ = s.Read(make([]byte, 1)) // read again: the reset is recorded once
	require.NoError(t, s.Close())

	s, err = rec.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
	require.NoError(t, err)
	require.NoError(t, s.Abort())
	_ = s.Close() // after the reset: recorded once

	assert.Equal(t, []string{
		"conn 1 open",
		"conn 1 client send\nhello",
		"conn 1 server send\nHELLO",
		"conn 1 server reset",
		"conn 1 client close",
		"conn 2 open",
		"conn 2 client reset",
	}, kinds(rec.Script()))
}

// TestRecordLookup records the answers of a real DNS server, and a
// name it does not know, through the Recorder's LookupHost.
func TestRecordLookup(t *testing.T) {
	ctx := context.Background()
	dns := dnsServer(t, map[string]netip.Addr{"upper.example.test.": netip.MustParseAddr("127.0.0.1")})
	os := netsock.New(netsock.WithResolver(transport.NewResolver(netsock.New(), dns)))
	rec := New(os)

	addrs, err := rec.LookupHost(ctx, "upper.example.test.")
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("127.0.0.1")}, addrs)
	_, err = rec.LookupHost(ctx, "gone.example.test.")
	require.ErrorIs(t, err, transport.HostNotFoundError)
	_, err = rec.LookupHost(ctx, "10.1.2.3")
	require.NoError(t, err, "a literal is not a lookup")

	assert.Equal(t, []string{
		"lookup upper.example.test.\n127.0.0.1",
		"lookup gone.example.test.\nerror nxdomain",
	}, kinds(rec.Script()))
}

// TestRedaction: the hook sees every chunk and answer; what it changes is
// what the script holds; the recording underneath keeps the real bytes.
func TestRedaction(t *testing.T) {
	ctx := context.Background()
	os := netsock.New()
	ln, err := os.Listen(ctx, loopback0, transport.ListenOptions{})
	require.NoError(t, err)
	serveUpper(t, ln, 1, false)

	rec := New(os, WithRedaction(func(e *Event) {
		e.Data = bytesReplace(e.Data, "hunter2", "*******")
		e.Data = bytesReplace(e.Data, "HUNTER2", "*******")
		e.Kind, e.ID = Reset, 99 // ignored: only the contents may change
	}))
	seen := upperClient(ctx, rec, "127.0.0.1", ln.AddrPort().Port(), "password hunter2")
	assert.Contains(t, seen, `got "PASSWORD HUNTER2\n"`, "redaction does not touch the traffic")

	text, err := rec.Marshal()
	require.NoError(t, err)
	assert.NotContains(t, string(text), "hunter2")
	assert.NotContains(t, string(text), "HUNTER2")
	assert.Contains(t, string(text), "-- conn 1 client send")
	assert.Contains(t, string(text), "\npassword *******\n")
	assert.Contains(t, string(text), "\nPASSWORD *******\n")
}
