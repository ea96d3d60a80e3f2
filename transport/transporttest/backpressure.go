package transporttest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestBackPressure checks flow control: a stream whose peer reads nothing
// stops accepting bytes (a Write stalls until its deadline, reporting the
// bytes it did accept), and once the peer reads, every accepted byte
// arrives once, in order, and the stalled writer resumes.
func TestBackPressure(t *testing.T, env Env) {
	runChecks(t, env, "BackPressure", []check{
		{"StallAndResume", checkStallAndResume},
	})
}

func checkStallAndResume(c *C) {
	client, server := c.Pair()
	accepted := c.fill(client)
	const more = 256 << 10
	werr := make(chan error, 1)
	go func() {
		err := writePattern(client, accepted, accepted+more, 32<<10)
		if err == nil {
			err = client.CloseWrite()
		}
		werr <- err
	}()
	var n, bad int
	var rerr error
	c.Within("draining a stalled stream", func() { n, bad, rerr = readPattern(server) }, closeAll(client, server))
	assert.NoError(c.T, <-werr, "Write resumed by the reader")
	assert.Equal(c.T, accepted+more, n, "bytes received: %d accepted before the stall + %d after", accepted, more)
	assert.Equal(c.T, -1, bad, "offset of the first lost, repeated or reordered byte")
	c.wantEOF(rerr, "Read at the end of the drained stream")
}

// fill writes to s until a write stalls for a few Ticks; it returns the
// bytes the stream accepted.
func (c *C) fill(s transport.Stream) int {
	c.T.Helper()
	const chunk = 64 << 10
	total := 0
	for total <= c.Env.maxBuffered() {
		require.NoError(c.T, s.SetWriteDeadline(time.Now().Add(3*c.Env.tick())))
		n, err := s.Write(pattern(total, chunk))
		total += n
		if err != nil {
			c.wantTimeout(err, "Write to a peer that reads nothing")
			require.NoError(c.T, s.SetWriteDeadline(time.Time{}))
			return total
		}
	}
	c.T.Fatalf("the stream accepted more than %d bytes while its peer read nothing: no back pressure", c.Env.maxBuffered())
	return total
}
