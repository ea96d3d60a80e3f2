package transporttest

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeadlines checks read and write deadlines: an expired deadline fails
// at once even when data is waiting (and loses none of it), a future one
// fires no earlier than set, moving a deadline affects a blocked Read, a
// cleared one lets I/O resume, and a read deadline leaves writes alone.
func TestDeadlines(t *testing.T, env Env) {
	runChecks(t, env, "Deadlines", []check{
		{"PastRead", checkPastRead},
		{"PastReadWithData", checkPastReadWithData},
		{"PastWrite", checkPastWrite},
		{"FutureRead", checkFutureRead},
		{"Extend", checkExtend},
		{"Clear", checkClear},
		{"ReadDeadlineSparesWrite", checkReadDeadlineSparesWrite},
	})
}

// longAgo is an expired deadline.
var longAgo = time.Unix(1, 0)

func checkPastRead(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, client.SetReadDeadline(longAgo))
	var n int
	var err error
	c.Within("Read with an expired deadline", func() { n, err = client.Read(make([]byte, 8)) }, closeAll(client, server))
	assert.Zero(c.T, n, "bytes read past the deadline")
	c.wantTimeout(err, "Read with an expired deadline")
}

func checkPastReadWithData(c *C) {
	client, server := c.Pair()
	_, err := server.Write([]byte("xy"))
	require.NoError(c.T, err)
	first := make([]byte, 1)
	c.Within("Read of the first byte", func() { _, err = io.ReadFull(client, first) }, closeAll(client, server))
	require.NoError(c.T, err)
	c.settle() // let "y" arrive if it came separately
	require.NoError(c.T, client.SetReadDeadline(longAgo))
	var n int
	c.Within("Read with an expired deadline and data waiting", func() { n, err = client.Read(make([]byte, 8)) }, closeAll(client, server))
	if n != 0 {
		c.T.Errorf("Read with an expired deadline returned %d bytes, want 0 and a timeout (the deadline was ignored)", n)
	}
	c.wantTimeout(err, "Read with an expired deadline and data waiting")
	require.NoError(c.T, client.SetReadDeadline(time.Time{}))
	rest := make([]byte, 1)
	if n == 0 {
		c.Within("Read after clearing the deadline", func() { _, err = io.ReadFull(client, rest) }, closeAll(client, server))
		assert.NoError(c.T, err)
		assert.Equal(c.T, "y", string(rest), "the data waiting at the timeout")
	}
}

func checkPastWrite(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, client.SetWriteDeadline(longAgo))
	var n int
	var err error
	c.Within("Write with an expired deadline", func() { n, err = client.Write([]byte("z")) }, closeAll(client, server))
	assert.Zero(c.T, n, "bytes written past the deadline")
	c.wantTimeout(err, "Write with an expired deadline")
}

func checkFutureRead(c *C) {
	client, server := c.Pair()
	tick := c.Env.tick()
	start := time.Now()
	require.NoError(c.T, client.SetReadDeadline(start.Add(tick)))
	var err error
	c.Within("Read with a future deadline", func() { _, err = client.Read(make([]byte, 8)) }, closeAll(client, server))
	elapsed := time.Since(start)
	c.wantTimeout(err, "Read with a future deadline")
	assert.GreaterOrEqual(c.T, elapsed, tick, "a deadline %v ahead fired after %v", tick, elapsed)
}

func checkExtend(c *C) {
	client, server := c.Pair()
	tick := c.Env.tick()
	require.NoError(c.T, client.SetReadDeadline(time.Now().Add(2*tick)))
	errs := make(chan error, 1)
	go func() { _, err := client.Read(make([]byte, 8)); errs <- err }()
	c.settle()
	moved := time.Now()
	require.NoError(c.T, client.SetReadDeadline(moved.Add(4*tick)))
	var err error
	c.Within("Read after moving its deadline", func() { err = <-errs }, closeAll(client, server))
	elapsed := time.Since(moved)
	c.wantTimeout(err, "Read after moving its deadline")
	assert.GreaterOrEqual(c.T, elapsed, 4*tick, "a blocked Read whose deadline moved %v ahead fired after %v", 4*tick, elapsed)
}

func checkClear(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, client.SetDeadline(longAgo))
	var err error
	c.Within("Read with an expired deadline", func() { _, err = client.Read(make([]byte, 1)) }, closeAll(client, server))
	c.wantTimeout(err, "Read with an expired deadline")
	require.NoError(c.T, client.SetDeadline(time.Time{}))
	_, err = server.Write([]byte("a"))
	require.NoError(c.T, err)
	b := make([]byte, 1)
	c.Within("Read after clearing the deadline", func() { _, err = io.ReadFull(client, b) }, closeAll(client, server))
	assert.NoError(c.T, err, "Read after clearing the deadline")
	_, err = client.Write([]byte("b"))
	assert.NoError(c.T, err, "Write after clearing the deadline")
}

func checkReadDeadlineSparesWrite(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, client.SetReadDeadline(longAgo))
	_, err := client.Write([]byte("w"))
	assert.NoError(c.T, err, "Write while only the read deadline expired")
	b := make([]byte, 1)
	c.Within("peer Read", func() { _, err = io.ReadFull(server, b) }, closeAll(client, server))
	assert.NoError(c.T, err)
	assert.Equal(c.T, "w", string(b))
}
