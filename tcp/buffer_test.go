package tcp_test

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/internal/sockettest"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// Qt's zeroAndMinusOneReturns, as Go values: 0 where Qt returns 0, an
// error (io.EOF once the read channel is finished) where it returns -1.
func TestZeroAndMinusOneReturns(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c, p := blockingPair(t, w)

		n, err := c.Write(nil)
		assert.Equal(t, 0, n)
		assert.NoError(t, err)
		n, err = c.Read(nil)
		assert.Equal(t, 0, n)
		assert.NoError(t, err)
		n, err = c.Read(make([]byte, 10))
		assert.Equal(t, 0, n, "nothing buffered: 0")
		assert.NoError(t, err)
		line, err := c.ReadLine()
		assert.Empty(t, line)
		assert.NoError(t, err)
		_, ok := c.GetChar()
		assert.False(t, ok)
		assert.Empty(t, c.Peek(10))
		assert.False(t, c.CanReadLine())

		require.NoError(t, p.DisconnectFromHost())
		require.NoError(t, c.WaitForDisconnected(10*time.Second))
		n, err = c.Read(make([]byte, 10))
		assert.Equal(t, 0, n)
		assert.ErrorIs(t, err, io.EOF, "Qt's -1 after the peer closed")
	})
}

// Lines, peeking and ungetting on buffered data (values from PyQt5).
func TestReadLinePeekUnget(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c, p := blockingPair(t, w)
		_, _ = p.Write([]byte("line1\nli"))
		for c.BytesAvailable() < 8 {
			require.NoError(t, c.WaitForReadyRead(10*time.Second))
		}
		assert.True(t, c.CanReadLine())
		line, err := c.ReadLine()
		require.NoError(t, err)
		assert.Equal(t, "line1\n", string(line))
		assert.False(t, c.CanReadLine())
		assert.Equal(t, "li", string(c.Peek(10)))
		ch, ok := c.GetChar()
		assert.True(t, ok)
		assert.Equal(t, byte('l'), ch)
		require.NoError(t, c.UngetChar('X'))
		got, err := c.ReadN(100)
		require.NoError(t, err)
		assert.Equal(t, "Xi", string(got))
		assert.True(t, c.AtEnd())
		line, err = c.ReadLineN(3)
		assert.NoError(t, err)
		assert.Empty(t, line)
	})
}

// Socket options reach the connection; LowDelay before connecting too.
func TestSocketOptions(t *testing.T) {
	srv := listen(t, osWorld(t))
	c := newSock(t, osWorld(t))
	require.NoError(t, c.SetSocketOption(transport.LowDelayOption, 1))
	v, err := c.SocketOption(transport.LowDelayOption)
	require.NoError(t, err)
	assert.Equal(t, 1, v)
	require.NoError(t, c.ConnectToAddress(netip127, srv.ServerPort()))
	require.NoError(t, c.WaitForConnected(10*time.Second))
	v, err = c.SocketOption(transport.LowDelayOption)
	require.NoError(t, err)
	assert.Equal(t, 1, v, "applied by the dial")
	require.NoError(t, c.SetSocketOption(transport.KeepAliveOption, 1))
	v, err = c.SocketOption(transport.KeepAliveOption)
	require.NoError(t, err)
	assert.Equal(t, 1, v)
	require.NoError(t, c.SetSocketOption(transport.ReceiveBufferSizeSocketOption, 1<<16))
	v, err = c.SocketOption(transport.ReceiveBufferSizeSocketOption)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, v, 1<<16)
	drain(srv)
}

// Adopting a connection made elsewhere (Qt's setSocketDescriptor): an OS
// *net.TCPConn and any net.Conn (a pipe).
func TestSetConn(t *testing.T) {
	t.Run("tcp", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer ln.Close()
		done := make(chan []byte)
		go func() {
			conn, err := ln.Accept()
			if err != nil {
				close(done)
				return
			}
			defer conn.Close()
			_, _ = conn.Write([]byte("hello"))
			b, _ := io.ReadAll(conn)
			done <- b
		}()
		raw, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		c, err := tcp.NewSocket()
		require.NoError(t, err)
		defer c.Destroy()
		tr := sockettest.New(t)
		tr.Watch(t, "c", c.Engine)
		require.NoError(t, c.SetConn(raw))
		assert.Equal(t, socket.ConnectedState, c.State())
		assert.Equal(t, socket.ReadWrite, c.OpenMode())
		assert.Equal(t, ln.Addr().(*net.TCPAddr).Port, c.PeerPort())
		for c.BytesAvailable() < 5 {
			require.NoError(t, c.WaitForReadyRead(10*time.Second))
		}
		assert.Equal(t, "hello", string(c.ReadAll()))
		_, _ = c.Write([]byte("back"))
		require.NoError(t, c.DisconnectFromHost())
		if c.State() != socket.UnconnectedState {
			require.NoError(t, c.WaitForDisconnected(10*time.Second))
		}
		assert.Equal(t, "back", string(<-done))
		assert.Equal(t, "c.stateChanged ConnectedState", tr.Take()[0])
		v, err := c.SocketOption(transport.LowDelayOption)
		_ = v
		_ = err
	})
	t.Run("pipe", func(t *testing.T) {
		a, b := net.Pipe()
		defer b.Close()
		c, err := tcp.NewSocket()
		require.NoError(t, err)
		defer c.Destroy()
		require.NoError(t, c.SetConn(a))
		go func() { _, _ = b.Write([]byte("over a pipe")) }()
		for c.BytesAvailable() < 11 {
			require.NoError(t, c.WaitForReadyRead(10*time.Second))
		}
		assert.Equal(t, "over a pipe", string(c.ReadAll()))
		assert.ErrorIs(t, c.SetSocketOption(transport.LowDelayOption, 1), transport.UnsupportedSocketOperationError)
		require.NoError(t, c.Abort())
	})
	t.Run("refused when connected", func(t *testing.T) {
		a, b := net.Pipe()
		defer a.Close()
		defer b.Close()
		c, err := tcp.NewSocket()
		require.NoError(t, err)
		defer c.Destroy()
		require.NoError(t, c.SetConn(a))
		assert.ErrorIs(t, c.SetConn(b), transport.OperationError)
	})
}
