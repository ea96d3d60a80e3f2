package tcp_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
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
	tr  trace
	srv *tcp.Server
}

func newScen(t *testing.T, w world) *scen {
	s := &scen{t: t, w: w, l: startLoop(t, "main")}
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
		s.t.Fatalf("waiting for %s: %v\ntrace so far:\n%s", what, err, &s.tr)
	}
}

// socket makes a client socket on the loop, traced as actor.
func (s *scen) socket(actor string) *tcp.Socket {
	var c *tcp.Socket
	s.do(func() {
		var err error
		c, err = tcp.NewSocket(socket.WithTransport(s.w.client), socket.WithLoop(s.l))
		require.NoError(s.t, err)
		s.tr.watch(s.t, actor, c.Engine)
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
		s.tr.watch(s.t, actor, p.Engine)
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

// expect compares the trace with want actor by actor: each object's
// signals in Qt's order. Between two objects the order is the network's:
// a peer may see data before the writer's loop has reported
// BytesWritten, where Qt's single thread writes and reports in one go
// (docs/sockets.md, "Differences from Qt").
func (s *scen) expect(want ...string) {
	s.t.Helper()
	got := s.tr.take()
	assert.Equal(s.t, byActor(want), byActor(got), "full trace:\n%s", strings.Join(got, "\n"))
}

func byActor(lines []string) map[string][]string {
	m := make(map[string][]string)
	for _, l := range lines {
		actor, _, _ := strings.Cut(l, ".")
		m[actor] = append(m[actor], l)
	}
	return m
}

func unconnected(c *tcp.Socket) func() bool {
	return func() bool { return c.State() == socket.UnconnectedState }
}

// props renders what a scenario compares after a step.
func props(c *tcp.Socket) string {
	return fmt.Sprintf("state=%s error=%s errorString=%q peerName=%q peer=%v local=%v valid=%v open=%s avail=%d toWrite=%d",
		c.State(), c.Error(), c.ErrorString(), c.PeerName(), c.PeerPort() != 0, c.LocalPort() != 0,
		c.IsValid(), c.OpenMode(), c.BytesAvailable(), c.BytesToWrite())
}

// The signal orders below were recorded from Qt 5.15 (PyQt5) running the
// same steps; testdata/qt holds the scripts.

func TestConnectionRefused(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		port := s.refusedPort()
		c := s.socket("client")
		s.do(func() {
			require.NoError(t, c.ConnectToAddress(w.serverAddr, port))
			assert.Equal(t, socket.ConnectingState, c.State())
		})
		s.until("refused", unconnected(c))
		s.expect(
			"client.stateChanged HostLookupState",
			"client.stateChanged ConnectingState",
			"client.hostFound",
			"client.stateChanged UnconnectedState",
			"client.errorOccurred ConnectionRefusedError",
		)
		s.do(func() {
			assert.Equal(t, transport.ConnectionRefusedError, c.Error())
			assert.Equal(t, "Connection refused", c.ErrorString())
		})
	})
}

func TestHostNotFound(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		s.do(func() {
			require.NoError(t, c.ConnectToHost(w.missing, 80))
			assert.Equal(t, socket.HostLookupState, c.State())
		})
		s.until("lookup failure", unconnected(c))
		s.expect(
			"client.stateChanged HostLookupState",
			"client.stateChanged UnconnectedState",
			"client.errorOccurred HostNotFoundError",
		)
		s.do(func() {
			assert.Equal(t, transport.HostNotFoundError, c.Error())
			assert.Equal(t, "Host not found", c.ErrorString())
		})
	})
}

func TestRemoteCloseError(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		s.do(func() { require.NoError(t, c.ConnectToHost(w.serverName, s.srv.ServerPort())) })
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		var errState socket.State
		s.do(func() {
			_, _ = c.ErrorOccurred.Connect(func(transport.SocketError) { errState = c.State() })
			_, err := p.Write([]byte("abc"))
			require.NoError(t, err)
		})
		s.until("bytes", func() bool { return c.BytesAvailable() == 3 && p.BytesToWrite() == 0 })
		s.do(func() { require.NoError(t, p.DisconnectFromHost()) })
		s.until("client unconnected", unconnected(c))
		s.expect(
			"client.stateChanged HostLookupState",
			"client.stateChanged ConnectingState",
			"client.hostFound",
			"client.stateChanged ConnectedState",
			"client.connected",
			"peer.bytesWritten 3",
			"client.readyRead",
			"peer.stateChanged ClosingState",
			"peer.stateChanged UnconnectedState",
			"peer.readChannelFinished",
			"peer.disconnected",
			"client.errorOccurred RemoteHostClosedError",
			"client.stateChanged ClosingState",
			"client.stateChanged UnconnectedState",
			"client.readChannelFinished",
			"client.disconnected",
		)
		s.do(func() {
			assert.Equal(t, socket.ConnectedState, errState, "the error comes while still connected")
			assert.Equal(t, `state=UnconnectedState error=RemoteHostClosedError errorString="The remote host closed the connection" peerName="`+w.serverName+`" peer=false local=false valid=true open=ReadWrite avail=3 toWrite=0`, props(c))
			assert.Equal(t, "abc", string(c.ReadAll()))
			// and the socket reconnects
			require.NoError(t, c.ConnectToHost(w.serverName, s.srv.ServerPort()))
		})
		s.until("reconnected", func() bool { return c.State() == socket.ConnectedState })
	})
}

func TestAbortiveClose(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		s.do(func() { require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort())) })
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.tr.take()
		s.do(func() {
			_, _ = c.Write([]byte("abc"))
			require.NoError(t, c.Abort())
			assert.Equal(t, `state=UnconnectedState error=UnknownSocketError errorString="Unknown error" peerName="`+w.serverAddr.String()+`" peer=false local=false valid=false open=NotOpen avail=0 toWrite=0`, props(c))
		})
		s.until("peer unconnected", unconnected(p))
		s.expect(
			"client.aboutToClose",
			"client.stateChanged UnconnectedState",
			"client.readChannelFinished",
			"client.disconnected",
			"peer.errorOccurred RemoteHostClosedError",
			"peer.stateChanged ClosingState",
			"peer.stateChanged UnconnectedState",
			"peer.readChannelFinished",
			"peer.disconnected",
		)
	})
}

func TestDelayedClose(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		s.do(func() { require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort())) })
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.tr.take()
		var got int64
		s.do(func() {
			_, _ = p.ReadyRead.Connect(func() { got += int64(len(p.ReadAll())) })
			_, _ = c.Write(make([]byte, 100000))
			require.NoError(t, c.DisconnectFromHost())
			assert.Equal(t, socket.ClosingState, c.State())
			assert.Equal(t, int64(100000), c.BytesToWrite())
		})
		s.until("peer unconnected", unconnected(p))
		s.do(func() { assert.Equal(t, int64(100000), got+int64(len(p.ReadAll()))) })
		lines := s.tr.take()
		// bytesWritten and readyRead split as the transport delivers them;
		// the rest is fixed.
		var written int64
		var rest []string
		for _, l := range lines {
			var n int64
			if _, err := fmt.Sscanf(l, "client.bytesWritten %d", &n); err == nil {
				written += n
				continue
			}
			if l == "peer.readyRead" {
				continue
			}
			rest = append(rest, l)
		}
		assert.Equal(t, int64(100000), written)
		assert.Equal(t, []string{
			"client.stateChanged ClosingState",
			"client.stateChanged UnconnectedState",
			"client.readChannelFinished",
			"client.disconnected",
			"peer.errorOccurred RemoteHostClosedError",
			"peer.stateChanged ClosingState",
			"peer.stateChanged UnconnectedState",
			"peer.readChannelFinished",
			"peer.disconnected",
		}, rest)
	})
}

func TestCloseFlushesAndClosesDevice(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		s.do(func() { require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort())) })
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.tr.take()
		s.do(func() {
			_, _ = c.Write([]byte("abc"))
			require.NoError(t, c.Close())
			assert.Equal(t, socket.ClosingState, c.State())
			assert.Equal(t, int64(3), c.BytesToWrite())
		})
		s.until("peer unconnected", unconnected(p))
		s.expect(
			"client.aboutToClose",
			"client.stateChanged ClosingState",
			"client.bytesWritten 3",
			"client.stateChanged UnconnectedState",
			"client.readChannelFinished",
			"client.disconnected",
			"peer.readyRead",
			"peer.errorOccurred RemoteHostClosedError",
			"peer.stateChanged ClosingState",
			"peer.stateChanged UnconnectedState",
			"peer.readChannelFinished",
			"peer.disconnected",
		)
		s.do(func() {
			assert.Equal(t, socket.NotOpen, c.OpenMode())
			assert.False(t, c.IsValid())
			assert.Equal(t, "abc", string(p.ReadAll()))
		})
	})
}

func TestWriteWhileConnectingThenDisconnect(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		var got []byte
		s.do(func() {
			require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort()))
			n, err := c.Write([]byte("hello"))
			require.NoError(t, err)
			assert.Equal(t, 5, n)
			require.NoError(t, c.DisconnectFromHost())
			assert.Equal(t, socket.ConnectingState, c.State(), "the close waits for the connection")
			assert.Equal(t, int64(5), c.BytesToWrite())
		})
		p := s.peer("peer")
		s.do(func() {
			got = append(got, p.ReadAll()...)
			_, _ = p.ReadyRead.Connect(func() { got = append(got, p.ReadAll()...) })
		})
		s.until("peer unconnected", unconnected(p))
		s.do(func() { assert.Equal(t, "hello", string(got)) })
		lines := s.tr.take()
		assert.Equal(t, []string{
			"client.stateChanged HostLookupState",
			"client.stateChanged ConnectingState",
			"client.hostFound",
			"client.stateChanged ConnectedState",
			"client.connected",
			"client.stateChanged ClosingState",
			"client.bytesWritten 5",
			"client.stateChanged UnconnectedState",
			"client.readChannelFinished",
			"client.disconnected",
		}, clientLines(lines))
	})
}

func clientLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if len(l) > 7 && l[:7] == "client." {
			out = append(out, l)
		}
	}
	return out
}

func TestAbortWhileConnecting(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		s.do(func() {
			require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort()))
			require.NoError(t, c.Abort())
			assert.Equal(t, `state=UnconnectedState error=UnknownSocketError errorString="Unknown error" peerName="`+w.serverAddr.String()+`" peer=false local=false valid=false open=NotOpen avail=0 toWrite=0`, props(c))
		})
		s.expect(
			"client.stateChanged HostLookupState",
			"client.stateChanged ConnectingState",
			"client.hostFound",
			"client.aboutToClose",
			"client.stateChanged UnconnectedState",
			"client.readChannelFinished",
		)
	})
}

func TestConnectWhileConnecting(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		s.do(func() {
			require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort()))
			err := c.ConnectToAddress(w.serverAddr, s.srv.ServerPort())
			assert.ErrorIs(t, err, transport.OperationError)
			assert.Equal(t, socket.ConnectingState, c.State())
			assert.Equal(t, "Trying to connect while connection is in progress", c.ErrorString())
		})
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.expect(
			"client.stateChanged HostLookupState",
			"client.stateChanged ConnectingState",
			"client.hostFound",
			"client.errorOccurred OperationError",
			"client.stateChanged ConnectedState",
			"client.connected",
		)
	})
}

func TestBindThenConnect(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		var bound int
		s.do(func() {
			local := netip.MustParseAddr("127.0.0.1")
			if w.name == "mem" {
				local = memClient
			}
			require.NoError(t, c.Bind(local, 0, transport.DefaultForPlatform))
			assert.Equal(t, socket.BoundState, c.State())
			bound = c.LocalPort()
			assert.NotZero(t, bound)
			assert.True(t, c.IsValid())
			assert.Equal(t, socket.NotOpen, c.OpenMode())
			require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort()))
		})
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.do(func() {
			assert.Equal(t, bound, c.LocalPort(), "the connection starts from the bound port")
			assert.Equal(t, bound, p.PeerPort())
		})
		assert.Equal(t, []string{
			"client.stateChanged BoundState",
			"client.stateChanged HostLookupState",
			"client.stateChanged ConnectingState",
			"client.hostFound",
			"client.stateChanged ConnectedState",
			"client.connected",
		}, clientLines(s.tr.take()))
	})
}

// dontCloseOnTimeout: a timed-out wait reports SocketTimeoutError and
// leaves the connection up. Blocking mode: no loop at all.
func TestDontCloseOnTimeout(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		srv := listen(t, w)
		c := newSock(t, w)
		var tr trace
		tr.watch(t, "client", c.Engine)
		require.NoError(t, c.ConnectToAddress(w.serverAddr, srv.ServerPort()))
		require.NoError(t, c.WaitForConnected(10*time.Second))
		tr.take()
		err := c.WaitForReadyRead(100 * time.Millisecond)
		require.Error(t, err)
		assert.ErrorIs(t, err, transport.SocketTimeoutError)
		assert.Equal(t, []string{"client.errorOccurred SocketTimeoutError"}, tr.take())
		assert.Equal(t, socket.ConnectedState, c.State())
		assert.Equal(t, "Network operation timed out", c.ErrorString())
	})
}

// Waits on an unconnected socket fail at once, changing nothing (Qt).
func TestWaitsOnUnconnected(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c := newSock(t, w)
		var tr trace
		tr.watch(t, "client", c.Engine)
		assert.Error(t, c.WaitForConnected(10*time.Millisecond))
		assert.Error(t, c.WaitForReadyRead(10*time.Millisecond))
		assert.Error(t, c.WaitForDisconnected(10*time.Millisecond))
		assert.Error(t, c.WaitForBytesWritten(10*time.Millisecond))
		assert.Empty(t, tr.take())
		assert.Equal(t, transport.UnknownSocketError, c.Error())
	})
}

// A timed-out WaitForConnected abandons the attempt.
func TestWaitForConnectedTimeoutAborts(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c := newSock(t, w)
		var tr trace
		tr.watch(t, "client", c.Engine)
		require.NoError(t, c.ConnectToHost(w.serverName, 1))
		// A zero timeout ends before the lookup's answer is processed.
		err := c.WaitForConnected(0)
		assert.ErrorIs(t, err, transport.SocketTimeoutError)
		assert.Equal(t, socket.UnconnectedState, c.State())
		// The lookup's answer may or may not have been processed (then
		// ConnectingState and HostFound come first); the end is fixed.
		lines := tr.take()
		require.GreaterOrEqual(t, len(lines), 4)
		assert.Equal(t, "client.stateChanged HostLookupState", lines[0])
		assert.Equal(t, []string{
			"client.errorOccurred SocketTimeoutError",
			"client.stateChanged UnconnectedState",
			"client.readChannelFinished",
		}, lines[len(lines)-3:])
	})
}
