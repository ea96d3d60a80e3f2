package tcp_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/internal/sockettest"
	"github.com/slotnet/slotnet/tcp"
)

// Blocking mode, no loop: the seeds' blocking fortune client shape.
func TestBlockingEcho(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		srv := listen(t, w)
		c, err := tcp.NewSocket(socket.WithTransport(w.client))
		require.NoError(t, err)
		defer c.Destroy()
		tr := sockettest.New(t)
		tr.Watch(t, "client", c.Engine)
		require.NoError(t, c.ConnectToHost(w.serverName, srv.ServerPort()))
		assert.Equal(t, socket.HostLookupState, c.State())
		require.NoError(t, c.WaitForConnected(5*time.Second))
		assert.Equal(t, socket.ConnectedState, c.State())

		require.NoError(t, srv.WaitForNewConnection(5*time.Second))
		p := srv.NextPendingConnection()
		require.NotNil(t, p)
		tr.Watch(t, "peer", p.Engine)

		n, err := c.Write([]byte("hello"))
		require.NoError(t, err)
		assert.Equal(t, 5, n)
		require.NoError(t, c.WaitForBytesWritten(5*time.Second))
		for p.BytesAvailable() < 5 {
			require.NoError(t, p.WaitForReadyRead(5*time.Second))
		}
		assert.Equal(t, "hello", string(p.ReadAll()))
		require.NoError(t, p.DisconnectFromHost())
		require.NoError(t, c.WaitForDisconnected(5*time.Second))
		assert.Equal(t, socket.UnconnectedState, c.State())
		assert.Equal(t, []string{
			"client.stateChanged HostLookupState",
			"client.stateChanged ConnectingState",
			"client.hostFound",
			"client.stateChanged ConnectedState",
			"client.connected",
			"client.bytesWritten 5",
			"peer.readyRead",
			"peer.stateChanged ClosingState",
			"peer.stateChanged UnconnectedState",
			"peer.readChannelFinished",
			"peer.disconnected",
			"client.errorOccurred RemoteHostClosedError",
			"client.stateChanged ClosingState",
			"client.stateChanged UnconnectedState",
			"client.readChannelFinished",
			"client.disconnected",
		}, tr.Take())
	})
}

// A socket's signals die with it: destroying a connected socket ends its
// connection and goroutines, and its signals take no new slots.
func TestDestroyEndsEverything(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		srv := listen(t, w)
		c := connected(t, w, srv)
		calls := 0
		_, err := c.ReadyRead.Connect(func() { calls++ })
		require.NoError(t, err)
		c.Destroy()
		assert.Equal(t, socket.UnconnectedState, c.State())
		assert.Nil(t, c.Stream())
		assert.Equal(t, 0, c.ReadyRead.Receivers())
		_, err = c.Connected.Connect(func() {})
		assert.ErrorIs(t, err, core.ErrDestroyed)
		assert.ErrorIs(t, c.ConnectToHost("localhost", 1), core.ErrDestroyed)
		drain(srv)
	})
}
