package interop_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// httpGet serves HTTP on the server host and fetches a page from the
// client host: transport.Listen is the server's net.Listener,
// transport.DialContextFunc the client's DialContext.
func httpGet() (string, error) {
	_, client, server := twoHosts()
	l, err := transport.Listen(server, "tcp", "10.0.0.2:80", transport.ListenOptions{Backlog: 16})
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s", r.Host)
	})}
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(l) }()
	defer func() { _ = srv.Shutdown(context.Background()); <-served }()

	tr := &http.Transport{DialContext: transport.DialContextFunc(client)}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("http://server.test/")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

// net/http over the in-memory network: the client resolves server.test in
// the network's zone.
func Example_http() {
	body, err := httpGet()
	fmt.Println(body, err)
	// Output: hello from server.test <nil>
}

func TestHTTPInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		body, err := httpGet()
		require.NoError(t, err)
		assert.Equal(t, "hello from server.test", body)
	})
}
