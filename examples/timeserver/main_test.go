package main

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/examples/udptime"
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

// Over loopback: the server answers a query and logs the client.
func TestServer(t *testing.T) {
	lo := netip.MustParseAddr("127.0.0.1")
	var out syncBuf
	ready := make(chan int, 1)
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- run(&out, lo, 0, ready, stop) }()
	port := <-ready
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a, err := udptime.Query(ctx, lo, port)
	require.NoError(t, err)
	_, err = time.Parse(udptime.Layout, a)
	assert.NoError(t, err)
	close(stop)
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "time server on 127.0.0.1 port")
	assert.Contains(t, out.String(), "time sent to 127.0.0.1:")
}
