package main

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/examples/chat"
	"github.com/slotnet/slotnet/transport"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The client sends each input line and prints each answer.
func TestClient(t *testing.T) {
	l := core.NewLoop()
	require.NoError(t, l.Start())
	defer l.Close()
	var srv *chat.Server
	require.NoError(t, l.Invoke(func() {
		var err error
		srv, err = chat.NewServer(l, nil, io.Discard)
		require.NoError(t, err)
		require.NoError(t, srv.Listen(transport.LocalHost, 0))
	}))
	defer func() { _ = l.Invoke(srv.Close) }()
	var out strings.Builder
	require.NoError(t, run(strings.NewReader("hello\nhow are you\nbye\n"), &out, "127.0.0.1", srv.Port()))
	assert.Equal(t, "Hello! Ask me the time, or say bye.\nYou said: how are you\nBye.\n", out.String())
}

func TestClientRefused(t *testing.T) {
	err := run(strings.NewReader("hello\n"), io.Discard, "127.0.0.1", 1)
	assert.ErrorContains(t, err, "Connection refused")
}
