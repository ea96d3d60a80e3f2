package transporttest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestReset checks abortive close: Abort makes the peer's next Read fail
// with RemoteHostClosedError (not EOF), the peer's writes then fail, and
// the aborted stream itself reports net.ErrClosed.
func TestReset(t *testing.T, env Env) {
	runChecks(t, env, "Reset", []check{
		{"AbortResetsPeer", checkAbortResetsPeer},
		{"WriteAfterReset", checkWriteAfterReset},
		{"AbortedIsClosed", checkAbortedIsClosed},
	})
}

func checkAbortResetsPeer(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, server.Abort(), "Abort")
	var err error
	c.Within("Read after the peer's Abort", func() { _, err = client.Read(make([]byte, 8)) }, closeAll(client))
	c.wantCode(err, transport.RemoteHostClosedError, "Read after the peer's Abort")
}

func checkWriteAfterReset(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, server.Abort(), "Abort")
	var err error
	c.Within("Read after the peer's Abort", func() { _, err = client.Read(make([]byte, 8)) }, closeAll(client))
	require.Error(c.T, err)
	c.Within("Write after a reset", func() { _, err = client.Write([]byte("x")) }, closeAll(client))
	if assert.Error(c.T, err, "Write after a reset") {
		assert.False(c.T, isTimeout(err), "Write after a reset: %v", err)
	}
}

func checkAbortedIsClosed(c *C) {
	client, _ := c.Pair()
	require.NoError(c.T, client.Abort(), "Abort")
	_, err := client.Read(make([]byte, 1))
	c.wantClosed(err, "Read on an aborted stream")
	_, err = client.Write([]byte("x"))
	c.wantClosed(err, "Write on an aborted stream")
}
