package record

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/core/spy"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// qtClient is the code under test written as a Qt program would be: a
// tcp.Socket (QTcpSocket) in blocking mode that looks the server up,
// sends a line, reads the answer and disconnects. It returns the signals
// the socket emitted, in order, as QSignalSpy would list them, with what
// it read.
func qtClient(t *testing.T, tr transport.Transport, host string, port uint16) []string {
	s, err := tcp.NewSocket(socket.WithTransport(tr))
	require.NoError(t, err)
	defer s.Close()
	r := spy.New()
	require.NoError(t, spy.On0(r, "hostFound", &s.HostFound))
	require.NoError(t, spy.On0(r, "connected", &s.Connected))
	require.NoError(t, spy.On(r, "stateChanged", &s.StateChanged))
	require.NoError(t, spy.On0(r, "readyRead", &s.ReadyRead))
	require.NoError(t, spy.On0(r, "disconnected", &s.Disconnected))
	require.NoError(t, spy.On(r, "errorOccurred", &s.ErrorOccurred))

	require.NoError(t, s.ConnectToHost(host, int(port)))
	require.NoError(t, s.WaitForConnected(5*time.Second))
	_, err = s.WriteString("hello\n")
	require.NoError(t, err)
	require.NoError(t, s.WaitForReadyRead(5*time.Second))
	got := string(s.ReadAll())
	require.NoError(t, s.DisconnectFromHost())
	if s.State() != socket.UnconnectedState {
		require.NoError(t, s.WaitForDisconnected(5*time.Second))
	}
	return append(r.Sequence(), "read "+got)
}

// TestRecordReplayQtSocket records a tcp.Socket — slotnet's QTcpSocket —
// against a real server reached by a name a real DNS server answers, and
// replays it in memory: the socket emits the same signals in the same
// order and reads the same bytes.
func TestRecordReplayQtSocket(t *testing.T) {
	script, real, port := recordWith(t, false, func(tr transport.Transport, port uint16) []string {
		return qtClient(t, tr, "upper.example.test.", port)
	})
	assert.Equal(t, []string{
		"stateChanged HostLookupState", "stateChanged ConnectingState", "hostFound",
		"stateChanged ConnectedState", "connected", "readyRead",
		"stateChanged ClosingState", "stateChanged UnconnectedState", "disconnected",
		"read HELLO\n",
	}, real)
	synctest.Test(t, func(t *testing.T) {
		client := newClientHost(t)
		rp := Replay(t, client, script)
		again := New(client)
		replayed := qtClient(t, again, "upper.example.test.", port)
		<-rp.Done()
		assert.NoError(t, rp.Err())
		assert.Equal(t, real, replayed, "the same signals in the same order")
		assert.Equal(t, kinds(script), kinds(again.Script()))
	})
}
