package tcp_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
)

// State changes and errors are logged at Debug level by a logger named
// "tcp".
func TestLogging(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	w := osWorld(t)
	srv := listen(t, w)
	c, err := tcp.NewSocket(socket.WithLogger(zap.New(core)))
	require.NoError(t, err)
	defer c.Destroy()
	require.NoError(t, c.ConnectToAddress(w.serverAddr, srv.ServerPort()))
	require.NoError(t, c.WaitForConnected(10*time.Second))
	assert.Error(t, c.WaitForReadyRead(10*time.Millisecond))

	var states []string
	sawError := false
	for _, e := range logs.All() {
		assert.Equal(t, "tcp", e.LoggerName)
		assert.Equal(t, zapcore.DebugLevel, e.Level)
		switch e.Message {
		case "state":
			states = append(states, e.ContextMap()["state"].(string))
		case "error":
			sawError = e.ContextMap()["code"] == "SocketTimeoutError"
		}
	}
	assert.Equal(t, []string{"HostLookupState", "ConnectingState", "ConnectedState"}, states)
	assert.True(t, sawError, "the timeout is logged")
	drain(srv)
}
