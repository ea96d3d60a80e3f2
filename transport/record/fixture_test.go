package record

import (
	"context"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var rerecord = flag.Bool("record", false, "record testdata/*.txt again against real servers")

// TestFixtureUpper is the workflow the package is for: a session recorded
// once into testdata and replayed in memory on every run, offline.
// "go test ./transport/record -run TestFixtureUpper -args -record" records
// it again, against a real server on loopback and a real DNS server.
func TestFixtureUpper(t *testing.T) {
	path := filepath.Join("testdata", "upper.txt")
	if *rerecord {
		ctx := context.Background()
		dns := dnsServer(t, map[string]netip.Addr{"upper.example.test.": netip.MustParseAddr("127.0.0.1")})
		os0 := netsock.New(netsock.WithResolver(transport.NewResolver(netsock.New(), dns)))
		ln, err := os0.Listen(ctx, netip.MustParseAddrPort("127.0.0.1:7007"), transport.ListenOptions{})
		require.NoError(t, err)
		serveUpper(t, ln, 1, false)
		rec := New(os0)
		upperClient(ctx, rec, "upper.example.test.", 7007, "hello", "world")
		s := rec.Script()
		s.Comment = []string{"The upper-case line protocol against a real server, recorded by", "go test ./transport/record -run TestFixtureUpper -args -record"}
		text, err := Marshal(s)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, text, 0o644))
	}
	s, err := ParseFile(path)
	require.NoError(t, err)
	synctest.Test(t, func(t *testing.T) {
		client := newClientHost(t)
		rp := Replay(t, client, s)
		seen := upperClient(context.Background(), client, "upper.example.test.", 7007, "hello", "world")
		<-rp.Done()
		assert.Equal(t, []string{"resolved [127.0.0.1]", "connected", `got "HELLO\n"`, `got "WORLD\n"`, "half-closed", `read "" then EOF`}, seen)
	})
}

func TestParseFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte("nonsense\n"), 0o644))
	_, err := ParseFile(bad)
	require.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), bad+`: header line 1 "nonsense"`)
	_, err = ParseFile(filepath.Join(dir, "missing.txt"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}
