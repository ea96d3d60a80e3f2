package main

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/internal/qtcompat"
)

// qtChat is the PyQt5 chat server and client written for the interop
// tests.
const qtChat = "../testdata/qt/chat.py"

// lineLog passes each line written to it to a channel, so that a test
// waits on the server's log lines as events.
type lineLog struct {
	mu    sync.Mutex
	part  strings.Builder
	lines chan string
}

func (w *lineLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.part.Write(p)
	for {
		s := w.part.String()
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.lines <- s[:i]
		w.part.Reset()
		w.part.WriteString(s[i+1:])
	}
}

// next returns the next log line, failing the test after a safety net.
func (w *lineLog) next(t *testing.T) string {
	t.Helper()
	select {
	case l := <-w.lines:
		return l
	case <-time.After(qtcompat.LineTimeout):
		t.Fatal("the server logged nothing more")
		return ""
	}
}

// A chat client on real Qt 5 writes all its lines at once to the Go
// server over loopback and gets one answer per line, in order; the server
// logs its connect and disconnect with the Qt client's address and port.
func TestQtClient(t *testing.T) {
	qtcompat.Need(t, "PyQt5.QtNetwork")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &lineLog{lines: make(chan string, 16)}
	ports := make(chan int, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, log, "127.0.0.1", 0, func(p int) { ports <- p }) }()
	var port int
	select {
	case port = <-ports:
	case err := <-done:
		t.Fatalf("the server did not start: %v", err)
	}
	assert.Equal(t, "listening on 127.0.0.1 port "+strconv.Itoa(port), log.next(t))

	qt := qtcompat.Start(t, "PyQt5.QtNetwork", qtChat, "client", "127.0.0.1", strconv.Itoa(port),
		"hi", "Grüße 🥠", "tell me the time", "bye")
	assert.Equal(t, "", qt.Line("connected"))
	assert.Equal(t, "Hello! Ask me the time, or say bye.", qt.Line("reply: "))
	assert.Equal(t, "You said: Grüße 🥠", qt.Line("reply: "))
	assert.Regexp(t, `^It is \d\d:\d\d:\d\d\.$`, qt.Line("reply: "))
	assert.Equal(t, "Bye.", qt.Line("reply: "))
	assert.Empty(t, qt.Wait())

	peer, ok := strings.CutPrefix(log.next(t), "connect ")
	require.True(t, ok)
	assert.True(t, strings.HasPrefix(peer, "127.0.0.1:"), peer)
	assert.Equal(t, "disconnect "+peer, log.next(t))
	cancel()
	require.NoError(t, <-done)
}
