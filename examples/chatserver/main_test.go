package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/tcp"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The server answers a blocking client and logs its connect and
// disconnect.
func TestServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ports := make(chan int, 1)
	var log syncBuf
	done := make(chan error, 1)
	go func() { done <- run(ctx, &log, "127.0.0.1", 0, func(p int) { ports <- p }) }()
	port := <-ports

	c, err := tcp.NewSocket()
	require.NoError(t, err)
	require.NoError(t, c.ConnectToHost("127.0.0.1", port))
	require.NoError(t, c.WaitForConnected(10*time.Second))
	_, err = c.Write([]byte("hi\n"))
	require.NoError(t, err)
	for !c.CanReadLine() {
		require.NoError(t, c.WaitForReadyRead(10*time.Second))
	}
	line, _ := c.ReadLine()
	assert.Equal(t, "Hello! Ask me the time, or say bye.\n", string(line))
	require.NoError(t, c.DisconnectFromHost())
	c.Destroy()
	require.Eventually(t, func() bool { return strings.Contains(log.String(), "disconnect 127.0.0.1:") }, 10*time.Second, 10*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, log.String(), "listening on 127.0.0.1 port")
	assert.Contains(t, log.String(), "connect 127.0.0.1:")
}
