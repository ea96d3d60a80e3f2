package tcp_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// Values from Qt 5.15 (PyQt5): a new QTcpServer and QTcpSocket.
func TestConstructing(t *testing.T) {
	srv, err := tcp.NewServer()
	require.NoError(t, err)
	defer srv.Destroy()
	assert.False(t, srv.IsListening())
	assert.Equal(t, 30, srv.MaxPendingConnections())
	assert.Equal(t, transport.Null, srv.ServerAddress())
	assert.Equal(t, 0, srv.ServerPort())
	assert.Equal(t, transport.UnknownSocketError, srv.ServerError())
	assert.Equal(t, "", srv.ErrorString())
	assert.False(t, srv.HasPendingConnections())
	assert.Nil(t, srv.NextPendingConnection())

	c, err := tcp.NewSocket()
	require.NoError(t, err)
	defer c.Destroy()
	assert.Equal(t, socket.UnconnectedState, c.State())
	assert.Equal(t, socket.TcpSocket, c.SocketType())
	assert.Equal(t, transport.UnknownSocketError, c.Error())
	assert.Equal(t, "Unknown error", c.ErrorString())
	assert.Equal(t, "", c.PeerName())
	assert.False(t, c.PeerAddress().IsValid())
	assert.Equal(t, 0, c.PeerPort())
	assert.False(t, c.LocalAddress().IsValid())
	assert.Equal(t, 0, c.LocalPort())
	assert.False(t, c.IsValid())
	assert.Equal(t, socket.NotOpen, c.OpenMode())
	assert.Equal(t, int64(0), c.BytesAvailable())
	assert.Equal(t, int64(0), c.BytesToWrite())
	assert.False(t, c.CanReadLine())
	assert.True(t, c.AtEnd())
	assert.Equal(t, int64(0), c.ReadBufferSize())
	assert.True(t, c.IsSequential())
	assert.Nil(t, c.Stream())
	// Qt: read -1, readAll/readLine/peek empty, getChar false on a closed device.
	_, err = c.Read(make([]byte, 5))
	assert.Error(t, err)
	assert.Empty(t, c.ReadAll())
	_, err = c.ReadLine()
	assert.Error(t, err)
	_, ok := c.GetChar()
	assert.False(t, ok)
	assert.Empty(t, c.Peek(4))
	assert.Error(t, c.PutChar('a'))
}

func TestListenErrors(t *testing.T) {
	t.Run("address not available", func(t *testing.T) {
		srv, err := tcp.NewServer()
		require.NoError(t, err)
		defer srv.Destroy()
		err = srv.Listen(transport.MustParseHostAddress("1.2.3.4"), 0)
		assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
		assert.Equal(t, transport.SocketAddressNotAvailableError, srv.ServerError())
		assert.Equal(t, "The address is not available", srv.ErrorString())
		assert.False(t, srv.IsListening())
		// A later success leaves the error as it was (Qt).
		require.NoError(t, srv.Listen(transport.LocalHost, 0))
		assert.Equal(t, transport.SocketAddressNotAvailableError, srv.ServerError())
		// listenWhileListening: refused, error unchanged.
		assert.ErrorIs(t, srv.Listen(transport.LocalHost, 0), transport.OperationError)
		assert.True(t, srv.IsListening())
		assert.Equal(t, transport.SocketAddressNotAvailableError, srv.ServerError())

		in, err := tcp.NewServer()
		require.NoError(t, err)
		defer in.Destroy()
		err = in.Listen(transport.LocalHost, srv.ServerPort())
		assert.ErrorIs(t, err, transport.AddressInUseError)
		assert.Equal(t, "The bound address is already in use", in.ErrorString())
	})
	t.Run("port out of range", func(t *testing.T) {
		srv, err := tcp.NewServer()
		require.NoError(t, err)
		defer srv.Destroy()
		assert.Error(t, srv.Listen(transport.LocalHost, 65536))
		assert.Error(t, srv.Listen(transport.LocalHost, -1))
		assert.False(t, srv.IsListening())
	})
	t.Run("any", func(t *testing.T) {
		srv, err := tcp.NewServer()
		require.NoError(t, err)
		defer srv.Destroy()
		require.NoError(t, srv.Listen(transport.Any, 0))
		assert.Equal(t, transport.Any, srv.ServerAddress())
		assert.NotZero(t, srv.ServerPort())
		srv.Close()
		assert.False(t, srv.IsListening())
		assert.Equal(t, transport.Null, srv.ServerAddress())
		assert.Equal(t, 0, srv.ServerPort())
	})
}

func TestWaitForNewConnectionTimesOut(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		srv := listen(t, w)
		err := srv.WaitForNewConnection(50 * time.Millisecond)
		assert.ErrorIs(t, err, transport.SocketTimeoutError)
		var ne interface{ Timeout() bool }
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout(), "Qt's timedOut flag")
		assert.Equal(t, transport.SocketTimeoutError, srv.ServerError())
		assert.Equal(t, "Network operation timed out", srv.ErrorString())
		srv.Close()
		err = srv.WaitForNewConnection(50 * time.Millisecond)
		require.Error(t, err)
		assert.NotErrorIs(t, err, transport.SocketTimeoutError, "not listening: not a timeout")
	})
}

// maxPendingConnections: with 2, three clients give two NewConnection,
// the third after one is taken.
func TestMaxPendingConnections(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		n := 0
		s.do(func() {
			s.srv.SetMaxPendingConnections(2)
			_, _ = s.srv.NewConnection.Connect(func() { n++ })
		})
		var cs []*tcp.Socket
		for range 3 {
			c := s.socket("c")
			s.do(func() { require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort())) })
			cs = append(cs, c)
		}
		s.until("two", func() bool { return n == 2 })
		// The third is connected at the TCP level (the backlog), not handed out.
		s.until("clients connected", func() bool {
			for _, c := range cs {
				if c.State() != socket.ConnectedState {
					return false
				}
			}
			return true
		})
		s.do(func() { assert.Equal(t, 2, n) })
		s.do(func() {
			s.srv.NextPendingConnection().Destroy()
			s.srv.NextPendingConnection().Destroy()
			assert.False(t, s.srv.HasPendingConnections())
		})
		s.until("the third", func() bool { return n == 3 })
		s.do(func() { assert.True(t, s.srv.HasPendingConnections()) })
	})
}

// pauseAccepting: nothing while paused, then everything.
func TestPauseAccepting(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		n := 0
		s.do(func() {
			_, _ = s.srv.NewConnection.Connect(func() { n++ })
			s.srv.PauseAccepting()
		})
		var cs []*tcp.Socket
		for range 5 {
			c := s.socket("c")
			s.do(func() { require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort())) })
			cs = append(cs, c)
		}
		s.until("clients connected", func() bool {
			for _, c := range cs {
				if c.State() != socket.ConnectedState {
					return false
				}
			}
			return true
		})
		time.Sleep(400 * time.Millisecond) // virtual under synctest; a real pause otherwise
		s.do(func() {
			assert.Equal(t, 0, n)
			assert.False(t, s.srv.HasPendingConnections())
			s.srv.ResumeAccepting()
		})
		s.until("all five", func() bool { return n == 5 })
	})
}

// A hook hands each connection to another loop (Qt's threaded server).
func TestConnectionsOnOtherLoops(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		w1, w2 := startLoop(t, "w1"), startLoop(t, "w2")
		got := make(chan string, 4)
		s.do(func() {
			require.NoError(t, s.srv.SetIncomingConnection(tcp.LoopPool(
				[]*core.Loop{w1, w2},
				func(p *tcp.Socket) {
					got <- p.Loop().Name()
					_, _ = p.Write([]byte("hi"))
					_ = p.DisconnectFromHost()
					_, _ = p.Disconnected.Connect(p.DeleteLater)
				})))
		})
		for range 4 {
			c := s.socket("c")
			s.do(func() { require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort())) })
		}
		var names []string
		for range 4 {
			select {
			case n := <-got:
				names = append(names, n)
			case <-time.After(10 * time.Second):
				t.Fatal("connections not handed out")
			}
		}
		assert.ElementsMatch(t, []string{"w1", "w1", "w2", "w2"}, names)
	})
}

// Listening on Any is dual-stack, as Qt's: IPv4 and IPv6 clients connect.
func TestListenAnyIsDualStack(t *testing.T) {
	srv, err := tcp.NewServer()
	require.NoError(t, err)
	defer srv.Destroy()
	require.NoError(t, srv.Listen(transport.Any, 0))
	for _, host := range []string{"127.0.0.1", "::1"} {
		c, err := tcp.NewSocket()
		require.NoError(t, err)
		require.NoError(t, c.ConnectToHost(host, srv.ServerPort()))
		require.NoError(t, c.WaitForConnected(10*time.Second), host)
		c.Destroy()
		require.NoError(t, srv.WaitForNewConnection(10*time.Second), host)
		srv.NextPendingConnection().Destroy()
	}
}
