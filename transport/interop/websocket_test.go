package interop_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// websocketEcho serves a websocket echo (github.com/coder/websocket) on the
// server host and sends msg from the client host. The glue is net/http's:
// transport.Listen for the server, transport.DialContextFunc in the
// client's http.Transport.
func websocketEcho(msg string) (string, error) {
	_, client, server := twoHosts()
	l, err := transport.Listen(server, "tcp", "10.0.0.2:80")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		typ, b, err := c.Read(r.Context())
		if err != nil {
			return
		}
		_ = c.Write(r.Context(), typ, b)
		_ = c.Close(websocket.StatusNormalClosure, "")
	})}
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(l) }()
	defer func() { _ = srv.Shutdown(context.Background()); <-served }()

	ctx := context.Background()
	tr := &http.Transport{DialContext: transport.DialContextFunc(client)}
	defer tr.CloseIdleConnections()
	c, _, err := websocket.Dial(ctx, "ws://server.test/echo", &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		return "", err
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		return "", err
	}
	_, b, err := c.Read(ctx)
	if err != nil {
		return "", err
	}
	return string(b), c.Close(websocket.StatusNormalClosure, "")
}

// A websocket echo over the in-memory network.
func Example_websocket() {
	echo, err := websocketEcho("over the wire")
	fmt.Println(echo, err)
	// Output: over the wire <nil>
}

func TestWebsocketInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		echo, err := websocketEcho("over the wire")
		require.NoError(t, err)
		assert.Equal(t, "over the wire", echo)
	})
}
