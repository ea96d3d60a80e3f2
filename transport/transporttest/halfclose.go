package transporttest

import (
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHalfClose checks CloseWrite: the peer drains the data then reads a
// plain io.EOF (again on every later Read), the half-closed side keeps
// reading the peer's answer, and writing after CloseWrite fails.
func TestHalfClose(t *testing.T, env Env) {
	runChecks(t, env, "HalfClose", []check{
		{"RequestResponse", checkRequestResponse},
		{"EOFRepeats", checkEOFRepeats},
		{"WriteAfterCloseWrite", checkWriteAfterCloseWrite},
	})
}

func checkRequestResponse(c *C) {
	client, server := c.Pair()
	rescue := closeAll(client, server)
	_, err := client.Write([]byte("request"))
	require.NoError(c.T, err, "client Write")
	require.NoError(c.T, client.CloseWrite(), "client CloseWrite")

	req, err := c.ReadAll(server, "server reading the request", rescue)
	assert.Equal(c.T, "request", string(req), "request seen by the server")
	c.wantEOF(err, "server Read after the client's CloseWrite")

	_, err = server.Write([]byte("response"))
	require.NoError(c.T, err, "server Write after the client's CloseWrite")
	require.NoError(c.T, server.Close(), "server Close")
	resp, err := c.ReadAll(client, "client reading the response after its CloseWrite", rescue)
	assert.Equal(c.T, "response", string(resp), "response seen by the half-closed client")
	c.wantEOF(err, "client Read after the server's Close")
}

func checkEOFRepeats(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, client.CloseWrite())
	for i := range 3 {
		var n int
		var err error
		c.Within("Read at EOF", func() { n, err = server.Read(make([]byte, 8)) }, closeAll(client, server))
		assert.Zero(c.T, n, "bytes read at EOF")
		if !c.wantEOF(err, fmt.Sprintf("Read number %d at EOF", i+1)) {
			return
		}
	}
}

func checkWriteAfterCloseWrite(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, client.CloseWrite())
	_, err := client.Write([]byte("late"))
	assert.Error(c.T, err, "Write after CloseWrite")
	assert.NotEqual(c.T, io.EOF, err, "Write after CloseWrite must not report io.EOF")
	// The read direction is still open.
	_, err = server.Write([]byte("!"))
	require.NoError(c.T, err)
	b := make([]byte, 1)
	c.Within("Read after CloseWrite", func() { _, err = io.ReadFull(client, b) }, closeAll(client, server))
	assert.NoError(c.T, err, "Read after CloseWrite")
}
