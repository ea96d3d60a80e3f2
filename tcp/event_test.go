package tcp_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/internal/sockettest"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// Event-driven: server and client on their own loops, an echo in slots, and
// a test goroutine that waits with WaitUntil-based calls from outside.
func TestEventDrivenEcho(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		sl, cl := startLoop(t, "server"), startLoop(t, "client")
		var srv *tcp.Server
		var c *tcp.Socket
		tr := sockettest.New(t)
		got := make(chan string, 1)
		on(t, sl, func() {
			var err error
			srv, err = tcp.NewServer(socket.WithTransport(w.server), socket.WithLoop(sl))
			require.NoError(t, err)
			require.NoError(t, srv.Listen(transport.HostAddressFrom(w.serverAddr), 0))
			_, err = srv.NewConnection.Connect(func() {
				p := srv.NextPendingConnection()
				tr.Watch(t, "peer", p.Engine)
				_, _ = p.ReadyRead.Connect(func() { _, _ = p.Write(p.ReadAll()) })
			})
			require.NoError(t, err)
		})
		defer on(t, sl, srv.Destroy)
		on(t, cl, func() {
			var err error
			c, err = tcp.NewSocket(socket.WithTransport(w.client), socket.WithLoop(cl))
			require.NoError(t, err)
			tr.Watch(t, "client", c.Engine)
			var buf []byte
			_, _ = c.ReadyRead.Connect(func() {
				buf = append(buf, c.ReadAll()...)
				if len(buf) == 11 {
					got <- string(buf)
					_ = c.DisconnectFromHost()
				}
			})
			_, _ = c.Connected.Connect(func() { _, _ = c.Write([]byte("hello world")) })
			require.NoError(t, c.ConnectToHost(w.serverName, srv.ServerPort()))
		})
		defer on(t, cl, c.Destroy)
		select {
		case s := <-got:
			assert.Equal(t, "hello world", s)
		case <-time.After(10 * time.Second):
			t.Fatal("no echo")
		}
		// From a foreign goroutine: waits are evaluated on the client's loop.
		require.NoError(t, c.WaitUntil(context.Background(), func() bool { return c.State() == socket.UnconnectedState }))
		// Qt refuses waitForDisconnected on an unconnected socket.
		assert.ErrorIs(t, c.WaitForDisconnectedContext(context.Background()), transport.OperationError)
		// A call that changes the socket from outside its loop is refused.
		assert.ErrorIs(t, c.ConnectToHost(w.serverName, 1), errWrongLoop)
	})
}

// The WaitFor… calls from a goroutine other than the socket's running
// loop: evaluated on the loop, a timeout reported there too.
func TestWaitsFromForeignGoroutine(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		l := startLoop(t, "owner")
		srv := listen(t, w)
		var c *tcp.Socket
		on(t, l, func() {
			var err error
			c, err = tcp.NewSocket(socket.WithTransport(w.client), socket.WithLoop(l))
			require.NoError(t, err)
			require.NoError(t, c.ConnectToAddress(w.serverAddr, srv.ServerPort()))
		})
		defer on(t, l, c.Destroy)
		tr := sockettest.New(t)
		on(t, l, func() { tr.Watch(t, "client", c.Engine) })
		require.NoError(t, c.WaitForConnected(10*time.Second))
		assert.Equal(t, socket.ConnectedState, c.State())
		require.NoError(t, srv.WaitForNewConnection(10*time.Second))
		p := srv.NextPendingConnection()
		defer p.Destroy()

		err := c.WaitForReadyRead(50 * time.Millisecond)
		assert.ErrorIs(t, err, transport.SocketTimeoutError)
		// The data comes after the wait began (WaitForReadyRead waits for
		// new data, as Qt's).
		go func() {
			time.Sleep(200 * time.Millisecond)
			_, _ = p.Write([]byte("ping"))
		}()
		require.NoError(t, c.WaitForReadyRead(10*time.Second))
		on(t, l, func() {
			assert.Equal(t, "ping", string(c.ReadAll()))
			_, _ = c.Write([]byte("pong"))
		})
		require.NoError(t, c.WaitUntil(context.Background(), func() bool { return c.BytesToWrite() == 0 }))
		on(t, l, func() { require.NoError(t, c.DisconnectFromHost()) })
		require.NoError(t, c.WaitUntil(context.Background(), func() bool { return c.State() == socket.UnconnectedState }))
		assert.Contains(t, tr.Take(), "client.errorOccurred SocketTimeoutError")
	})
}
