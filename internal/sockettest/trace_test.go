package sockettest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestTraceRecordsSignalsAndNotes(t *testing.T) {
	s, err := tcp.NewSocket()
	require.NoError(t, err)
	defer s.Destroy()
	tr := New(t)
	tr.Watch(t, "c", s.Engine)
	tr.Add("c.state() %s", s.State())
	require.NoError(t, s.ConnectToHost("localhost", 1)) // refused or not, the first lines are fixed
	assert.Equal(t, []string{"c.state() UnconnectedState", "c.stateChanged HostLookupState"}, tr.Take())
	s.StateChanged.Emit(socket.BoundState)
	s.ErrorOccurred.Emit(transport.NetworkError)
	assert.Equal(t, []string{"c.stateChanged BoundState", "c.errorOccurred NetworkError"}, tr.Take())
}
