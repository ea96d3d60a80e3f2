package tcp_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/transport"
)

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

// clientSendDataOnDelayedDisconnect: data written just before
// DisconnectFromHost all reaches the server. Blocking mode, no loop.
func TestClientSendDataOnDelayedDisconnect(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c, p := blockingPair(t, w)
		data := pattern(300 << 10)
		_, err := c.Write(data)
		require.NoError(t, err)
		require.NoError(t, c.DisconnectFromHost())
		// Closing while bytes are pending; Unconnected at once if the writer
		// (which starts at once without a loop) already sent them all.
		if c.State() == socket.ClosingState {
			require.NoError(t, c.WaitForDisconnected(20*time.Second))
		}
		assert.Equal(t, socket.UnconnectedState, c.State())
		var got []byte
		for p.State() == socket.ConnectedState {
			if err := p.WaitForReadyRead(20 * time.Second); err != nil {
				break
			}
			got = append(got, p.ReadAll()...)
		}
		got = append(got, p.ReadAll()...)
		assert.True(t, bytes.Equal(data, got), "got %d of %d bytes", len(got), len(data))
		assert.Equal(t, transport.RemoteHostClosedError, p.Error())
	})
}

// serverDisconnectWithBuffered: the server's socket writes and disconnects
// at once; the client receives every byte, then the remote close.
func TestServerDisconnectWithBuffered(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newScen(t, w)
		c := s.socket("client")
		data := pattern(500 << 10)
		var got []byte
		s.do(func() {
			_, _ = c.ReadyRead.Connect(func() { got = append(got, c.ReadAll()...) })
			require.NoError(t, c.ConnectToAddress(w.serverAddr, s.srv.ServerPort()))
		})
		p := s.peer("peer")
		s.do(func() {
			_, _ = p.Write(data)
			require.NoError(t, p.DisconnectFromHost())
			assert.Equal(t, socket.ClosingState, p.State())
		})
		s.until("client unconnected", unconnected(c))
		s.do(func() {
			assert.True(t, bytes.Equal(data, got), "got %d of %d bytes", len(got), len(data))
			assert.Equal(t, transport.RemoteHostClosedError, c.Error())
			assert.Equal(t, socket.UnconnectedState, p.State())
		})
	})
}
