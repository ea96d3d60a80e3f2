package record

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// httpClient is the code under test: a net/http client that dials through
// tr, GETs each path over one kept-alive connection, then closes it. It
// returns what it saw.
func httpClient(t *testing.T, tr transport.Transport, base string, paths ...string) []string {
	ht := &http.Transport{DialContext: transport.DialContextFunc(tr)}
	defer ht.CloseIdleConnections()
	c := &http.Client{Transport: ht}
	var seen []string
	for _, p := range paths {
		resp, err := c.Get(base + p)
		if err != nil {
			return append(seen, "error: "+err.Error())
		}
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		seen = append(seen, fmt.Sprintf("%s %s %s %q", p, resp.Status, resp.Header.Get("Content-Type"), body))
	}
	return seen
}

// TestRecordReplayHTTP records a net/http client against a real net/http
// server on 127.0.0.1, then replays the recording in memory against the
// same client code: the same responses, and a recording of the replay
// has the same events in the same order, byte for byte.
func TestRecordReplayHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s\n", strings.ToUpper(strings.TrimPrefix(r.URL.Path, "/")))
	}))
	defer srv.Close()
	addr := netip.MustParseAddrPort(strings.TrimPrefix(srv.URL, "http://"))

	rec := New(netsock.New())
	real := httpClient(t, rec, srv.URL, "/hello", "/world")
	require.Equal(t, []string{`/hello 200 OK text/plain "HELLO\n"`, `/world 200 OK text/plain "WORLD\n"`}, real)
	text, err := rec.Marshal()
	require.NoError(t, err)
	t.Logf("recorded:\n%s", text)
	script, err := Parse(text)
	require.NoError(t, err)
	require.Len(t, script.Conns, 1, "one kept-alive connection")
	assert.Equal(t, addr, script.Conns[0].Server)
	assert.Contains(t, string(text), "-- conn 1 client send +", "requests are CRLF text")
	assert.Contains(t, string(text), " crlf --\nGET /hello HTTP/1.1\nHost: "+addr.String()+"\n")

	synctest.Test(t, func(t *testing.T) {
		client := newClientHost(t)
		rp := Replay(t, client, script)
		again := New(client)
		replayed := httpClient(t, again, srv.URL, "/hello", "/world")
		<-rp.Done()
		assert.NoError(t, rp.Err())
		assert.Equal(t, real, replayed)
		assert.Equal(t, kinds(script), kinds(again.Script()))
	})
}
