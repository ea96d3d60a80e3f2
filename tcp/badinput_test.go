package tcp_test

import (
	"errors"
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

// stateMaker puts a fresh blocking-mode socket (no loop: its state only
// moves inside WaitFor… calls, so it stays put) in one state.
type stateMaker struct {
	name string
	make func(t *testing.T, w world, srv *tcp.Server) *tcp.Socket
}

func newSock(t *testing.T, w world) *tcp.Socket {
	t.Helper()
	s, err := tcp.NewSocket(socket.WithTransport(w.client))
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	return s
}

func connected(t *testing.T, w world, srv *tcp.Server) *tcp.Socket {
	t.Helper()
	s := newSock(t, w)
	require.NoError(t, s.ConnectToAddress(w.serverAddr, srv.ServerPort()))
	require.NoError(t, s.WaitForConnected(10*time.Second))
	return s
}

// blockingPair is a connected client in blocking mode (no loop) and the
// server's end of its connection; both are destroyed when the test ends.
func blockingPair(t *testing.T, w world) (c, p *tcp.Socket) {
	t.Helper()
	srv := listen(t, w)
	c = connected(t, w, srv)
	require.NoError(t, srv.WaitForNewConnection(10*time.Second))
	p = srv.NextPendingConnection()
	t.Cleanup(p.Destroy)
	return c, p
}

var stateMakers = []stateMaker{
	{"new", func(t *testing.T, w world, _ *tcp.Server) *tcp.Socket { return newSock(t, w) }},
	{"HostLookup", func(t *testing.T, w world, srv *tcp.Server) *tcp.Socket {
		s := newSock(t, w)
		require.NoError(t, s.ConnectToHost(w.serverName, srv.ServerPort()))
		require.Equal(t, socket.HostLookupState, s.State())
		return s
	}},
	{"Connecting", func(t *testing.T, w world, srv *tcp.Server) *tcp.Socket {
		s := newSock(t, w)
		require.NoError(t, s.ConnectToAddress(w.serverAddr, srv.ServerPort()))
		require.Equal(t, socket.ConnectingState, s.State())
		return s
	}},
	{"Connected", connected},
	{"Bound", func(t *testing.T, w world, _ *tcp.Server) *tcp.Socket {
		s := newSock(t, w)
		require.NoError(t, s.Bind(netip.Addr{}, 0, transport.DefaultForPlatform))
		require.Equal(t, socket.BoundState, s.State())
		return s
	}},
	{"Closing", func(t *testing.T, w world, srv *tcp.Server) *tcp.Socket {
		s := connected(t, w, srv)
		// The peer never reads: 4 MiB cannot drain, so Closing lasts.
		_, err := s.Write(make([]byte, 4<<20))
		require.NoError(t, err)
		require.NoError(t, s.DisconnectFromHost())
		require.Equal(t, socket.ClosingState, s.State())
		return s
	}},
	{"Closed", func(t *testing.T, w world, srv *tcp.Server) *tcp.Socket {
		s := connected(t, w, srv)
		require.NoError(t, s.Close())
		return s
	}},
	{"Aborted", func(t *testing.T, w world, srv *tcp.Server) *tcp.Socket {
		s := connected(t, w, srv)
		require.NoError(t, s.Abort())
		return s
	}},
	{"Destroyed", func(t *testing.T, w world, srv *tcp.Server) *tcp.Socket {
		s := connected(t, w, srv)
		s.Destroy()
		return s
	}},
}

// call is one exported method with (possibly bad) arguments; it returns
// the error the method gave, if it gives one.
type call struct {
	name string
	do   func(s *tcp.Socket) error
}

var calls = []call{
	{"ConnectToHost port -1", func(s *tcp.Socket) error { return s.ConnectToHost("localhost", -1) }},
	{"ConnectToHost port 65536", func(s *tcp.Socket) error { return s.ConnectToHost("localhost", 65536) }},
	{"ConnectToHost empty host", func(s *tcp.Socket) error { return s.ConnectToHost("", 80) }},
	{"ConnectToHost bad mode", func(s *tcp.Socket) error { return s.ConnectToHostMode("localhost", 80, socket.NotOpen) }},
	{"ConnectToAddress invalid", func(s *tcp.Socket) error { return s.ConnectToAddress(netip.Addr{}, 80) }},
	{"Bind port out of range", func(s *tcp.Socket) error { return s.Bind(netip.Addr{}, 70000, 0) }},
	{"Bind", func(s *tcp.Socket) error { return s.Bind(netip.Addr{}, 0, 0) }},
	{"SetStream nil", func(s *tcp.Socket) error { return s.SetStream(nil, socket.ReadWrite) }},
	{"SetConn nil", func(s *tcp.Socket) error { return s.SetConn(nil) }},
	{"Read", func(s *tcp.Socket) error { _, err := s.Read(make([]byte, 8)); return err }},
	{"Read empty", func(s *tcp.Socket) error { _, err := s.Read(nil); return err }},
	{"ReadN -1", func(s *tcp.Socket) error { _, err := s.ReadN(-1); return err }},
	{"ReadN", func(s *tcp.Socket) error { _, err := s.ReadN(8); return err }},
	{"ReadAll", func(s *tcp.Socket) error { s.ReadAll(); return nil }},
	{"ReadLine", func(s *tcp.Socket) error { _, err := s.ReadLine(); return err }},
	{"ReadLineN 1", func(s *tcp.Socket) error { _, err := s.ReadLineN(1); return err }},
	{"ReadLineN -5", func(s *tcp.Socket) error { _, err := s.ReadLineN(-5); return err }},
	{"Peek -1", func(s *tcp.Socket) error { s.Peek(-1); return nil }},
	{"Peek huge", func(s *tcp.Socket) error { s.Peek(1 << 40); return nil }},
	{"GetChar", func(s *tcp.Socket) error { s.GetChar(); return nil }},
	{"UngetChar", func(s *tcp.Socket) error { return s.UngetChar('x') }},
	{"StartTransaction", func(s *tcp.Socket) error { return s.StartTransaction() }},
	{"StartTransaction twice", func(s *tcp.Socket) error { _ = s.StartTransaction(); return s.StartTransaction() }},
	{"CommitTransaction", func(s *tcp.Socket) error { return s.CommitTransaction() }},
	{"RollbackTransaction", func(s *tcp.Socket) error { return s.RollbackTransaction() }},
	{"UngetChar in a transaction", func(s *tcp.Socket) error { _ = s.StartTransaction(); return s.UngetChar('x') }},
	{"PutChar", func(s *tcp.Socket) error { return s.PutChar('x') }},
	{"Write nil", func(s *tcp.Socket) error { _, err := s.Write(nil); return err }},
	{"Write", func(s *tcp.Socket) error { _, err := s.Write([]byte("x")); return err }},
	{"Flush", func(s *tcp.Socket) error { s.Flush(); return nil }},
	{"SetReadBufferSize -1", func(s *tcp.Socket) error { return s.SetReadBufferSize(-1) }},
	{"SetReadBufferSize absurd", func(s *tcp.Socket) error { return s.SetReadBufferSize(1 << 50) }},
	{"SetSocketOption unknown", func(s *tcp.Socket) error { return s.SetSocketOption(99, 1) }},
	{"SetSocketOption LowDelay", func(s *tcp.Socket) error { return s.SetSocketOption(transport.LowDelayOption, 1) }},
	{"SocketOption", func(s *tcp.Socket) error { _, err := s.SocketOption(transport.KeepAliveOption); return err }},
	{"WaitForReadyRead 0", func(s *tcp.Socket) error { return s.WaitForReadyRead(0) }},
	{"WaitForBytesWritten 0", func(s *tcp.Socket) error { return s.WaitForBytesWritten(0) }},
	{"WaitForDisconnected 0", func(s *tcp.Socket) error { return s.WaitForDisconnected(0) }},
	{"WaitForConnected 0", func(s *tcp.Socket) error { return s.WaitForConnected(0) }},
	{"DisconnectFromHost", func(s *tcp.Socket) error { return s.DisconnectFromHost() }},
	{"Close", func(s *tcp.Socket) error { return s.Close() }},
	{"Abort", func(s *tcp.Socket) error { return s.Abort() }},
	{"getters", func(s *tcp.Socket) error {
		_ = fmt.Sprint(s.State(), s.Error(), s.ErrorString(), s.OpenMode(), s.IsValid(), s.PeerName(),
			s.PeerAddress(), s.PeerPort(), s.LocalAddress(), s.LocalPort(), s.BytesAvailable(),
			s.BytesToWrite(), s.CanReadLine(), s.AtEnd(), s.ReadBufferSize(), s.SocketType(), s.Stream() != nil)
		return nil
	}},
}

// Every exported method in every state: an error value that says what is
// wrong (a *transport.Error with a code, or core.ErrDestroyed), never a
// panic.
func TestEveryMethodInEveryState(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		srv := listen(t, w)
		for _, sm := range stateMakers {
			// (no subtests: t.Run is not allowed inside a synctest bubble)
			for _, c := range calls {
				s := sm.make(t, w, srv)
				var err error
				require.NotPanics(t, func() { err = c.do(s) }, "%s in %s", c.name, sm.name)
				s.Destroy()
				drain(srv)
				if err == nil {
					continue
				}
				var te *transport.Error
				switch {
				case errors.As(err, &te):
					assert.NotEmpty(t, te.Op, "%s in %s", c.name, sm.name)
					assert.NotEqual(t, "", strings.TrimSpace(err.Error()))
				case errors.Is(err, core.ErrDestroyed):
					assert.Equal(t, "Destroyed", sm.name, "%s in %s", c.name, sm.name)
				default:
					// A timeout of a WaitFor… is a *transport.Error too;
					// anything else is an unclassified error.
					t.Errorf("%s in %s: unclassified error %T %v", c.name, sm.name, err, err)
				}
			}
		}
	})
}

// Specific bad inputs set the socket's error and say so.
func TestBadInputErrors(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newSock(t, w)
		err := s.ConnectToHost("localhost", 70000)
		assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
		assert.Equal(t, transport.UnsupportedSocketOperationError, s.Error())
		assert.Equal(t, "Port out of range", s.ErrorString())
		assert.Equal(t, socket.UnconnectedState, s.State())

		n, err := s.Write([]byte("x"))
		assert.Equal(t, 0, n)
		assert.ErrorContains(t, err, "device not open")
		_, err = s.Read(make([]byte, 1))
		assert.ErrorContains(t, err, "device not open")
		assert.ErrorIs(t, s.SetReadBufferSize(-1), transport.SocketResourceError)
	})
}

// drain takes and destroys what a blocking-mode server accepted, so its
// pending queue never fills.
func drain(srv *tcp.Server) {
	_, _ = srv.ProcessEvents()
	for srv.HasPendingConnections() {
		srv.NextPendingConnection().Destroy()
	}
}
