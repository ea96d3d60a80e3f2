package tcp_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/internal/sockettest"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// scen runs a Qt-style scenario: every object on one loop (Qt's one
// thread), actions invoked on it, waits from the test goroutine until a
// condition holds (where a Qt script spins its event loop), and one trace.
type scen struct {
	t   *testing.T
	w   world
	l   *core.Loop
	tr  *sockettest.Trace
	srv *tcp.Server
	// ended is the trace taken where a script exits (qtreplay_test.go),
	// with an empty line at the end; nil until then.
	ended []string
}

func newScen(t *testing.T, w world) *scen {
	s := &scen{t: t, w: w, l: startLoop(t, "main"), tr: sockettest.New(t)}
	s.do(func() {
		var err error
		s.srv, err = tcp.NewServer(socket.WithTransport(w.server), socket.WithLoop(s.l))
		require.NoError(t, err)
		require.NoError(t, s.srv.Listen(transport.HostAddressFrom(w.serverAddr), 0))
	})
	t.Cleanup(func() { s.do(s.srv.Destroy) })
	return s
}

func (s *scen) do(fn func()) {
	s.t.Helper()
	on(s.t, s.l, fn)
}

// until waits until cond, evaluated on the loop, holds.
func (s *scen) until(what string, cond func() bool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.srv.WaitUntil(ctx, cond); err != nil {
		s.t.Fatalf("waiting for %s: %v\ntrace so far:\n%s", what, err, s.tr)
	}
}

// socket makes a client socket on the loop, traced as actor.
func (s *scen) socket(actor string) *tcp.Socket {
	var c *tcp.Socket
	s.do(func() {
		var err error
		c, err = tcp.NewSocket(socket.WithTransport(s.w.client), socket.WithLoop(s.l))
		require.NoError(s.t, err)
		if actor != "" {
			s.tr.Watch(s.t, actor, c.Engine)
		}
	})
	s.t.Cleanup(func() { s.do(c.Destroy) })
	return c
}

// peer takes the server's next connection, traced as actor.
func (s *scen) peer(actor string) *tcp.Socket {
	s.until("a pending connection", s.srv.HasPendingConnections)
	var p *tcp.Socket
	s.do(func() {
		p = s.srv.NextPendingConnection()
		s.tr.Watch(s.t, actor, p.Engine)
	})
	return p
}

// refusedPort is a port nobody listens on.
func (s *scen) refusedPort() int {
	var port int
	s.do(func() {
		srv, err := tcp.NewServer(socket.WithTransport(s.w.server), socket.WithLoop(s.l))
		require.NoError(s.t, err)
		require.NoError(s.t, srv.Listen(transport.HostAddressFrom(s.w.serverAddr), 0))
		port = srv.ServerPort()
		srv.Destroy()
	})
	return port
}

func unconnected(c *tcp.Socket) func() bool {
	return func() bool { return c.State() == socket.UnconnectedState }
}

// The signal orders below were recorded from Qt 5.15 (PyQt5) running the
// same steps; testdata/qt holds the scripts.

// Waits on an unconnected socket fail at once, changing nothing (Qt).
func TestWaitsOnUnconnected(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c := newSock(t, w)
		tr := sockettest.New(t)
		tr.Watch(t, "client", c.Engine)
		assert.Error(t, c.WaitForConnected(10*time.Millisecond))
		assert.Error(t, c.WaitForReadyRead(10*time.Millisecond))
		assert.Error(t, c.WaitForDisconnected(10*time.Millisecond))
		assert.Error(t, c.WaitForBytesWritten(10*time.Millisecond))
		assert.Empty(t, tr.Take())
		assert.Equal(t, transport.UnknownSocketError, c.Error())
	})
}

// Qt's timeoutConnect: a listener whose queue is full never completes the
// connection; a timed-out WaitForConnected sets SocketTimeoutError
// ("Socket operation timed out") without emitting it, and goes back to
// Unconnected with no other signal; the device stays open. The next
// ConnectToHost starts with the error cleared.
func TestWaitForConnectedTimeout(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		port, heal := w.stall(t)
		c := newSock(t, w)
		tr := sockettest.New(t)
		tr.Watch(t, "client", c.Engine)
		require.NoError(t, c.ConnectToAddress(w.serverAddr, port))
		err := c.WaitForConnected(300 * time.Millisecond)
		assert.ErrorIs(t, err, transport.SocketTimeoutError)
		assert.Equal(t, []string{
			"client.stateChanged HostLookupState",
			"client.stateChanged ConnectingState",
			"client.hostFound",
			"client.stateChanged UnconnectedState",
		}, tr.Take())
		assert.Equal(t, transport.SocketTimeoutError, c.Error())
		assert.Equal(t, "Socket operation timed out", c.ErrorString())
		assert.Equal(t, socket.ReadWrite, c.OpenMode())
		assert.Equal(t, 0, c.PeerPort())

		heal()
		srv := listen(t, w)
		require.NoError(t, c.ConnectToAddress(w.serverAddr, srv.ServerPort()))
		assert.Equal(t, transport.UnknownSocketError, c.Error(), "a new attempt starts clean")
		assert.Equal(t, "Unknown error", c.ErrorString())
		require.NoError(t, c.WaitForConnected(10*time.Second))
		drain(srv)
	})
}
