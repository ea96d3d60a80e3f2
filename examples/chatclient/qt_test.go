package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/internal/qtcompat"
)

// qtChat is the PyQt5 chat server and client written for the interop
// tests.
const qtChat = "../testdata/qt/chat.py"

// The Go client talks to a chat server on real Qt 5 over loopback: the
// server gets each line as sent (non-ASCII UTF-8 among them), the client
// prints each answer, and the server sees the client connect and leave.
func TestQtServer(t *testing.T) {
	qt := qtcompat.Start(t, "PyQt5.QtNetwork", qtChat, "server", "1")
	port, err := strconv.Atoi(qt.Line("port: "))
	require.NoError(t, err)
	msgs := []string{"hello", "what time is it", "Grüße 🥠", "", "bye"}
	var out strings.Builder
	require.NoError(t, run(strings.NewReader(strings.Join(msgs, "\n")+"\n"), &out, "127.0.0.1", port))
	replies := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, replies, 5, out.String())
	assert.Equal(t, "Hello! Ask me the time, or say bye.", replies[0])
	assert.Regexp(t, `^It is \d\d:\d\d:\d\d\.$`, replies[1])
	assert.Equal(t, []string{"You said: Grüße 🥠", "Say something.", "Bye."}, replies[2:])

	peer := qt.Line("connect: ")
	assert.True(t, strings.HasPrefix(peer, "127.0.0.1:"), peer)
	for _, m := range msgs {
		assert.Equal(t, m, qt.Line("got: "))
	}
	assert.Equal(t, peer, qt.Line("disconnect: "))
	assert.Empty(t, qt.Wait())
}
