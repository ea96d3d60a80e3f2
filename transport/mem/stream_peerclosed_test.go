package mem

import (
	"io"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestWriteDiscoversClosedPeer checks TCP's rule on every kind of link:
// after the peer has closed, the next Write succeeds (its data provokes
// the peer's reset) and the one after, once that reset is back, fails with
// RemoteHostClosedError wrapping EPIPE, not ECONNRESET.
func TestWriteDiscoversClosedPeer(t *testing.T) {
	links := map[string]Faults{
		"perfect":   {},
		"latency":   {Latency: time.Millisecond},
		"jitter":    {Latency: 5 * time.Millisecond, Jitter: 3 * time.Millisecond},
		"bandwidth": {Bandwidth: 1 << 20},
		"segmented": {Segment: Segmentation{Mode: SegmentByte}},
		"lossy":     {Latency: time.Millisecond, Loss: 0.5},
	}
	for name, f := range links {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n, a, b := twoHosts(t)
				n.Link(a, b).SetFaults(f)
				n.Link(b, a).SetFaults(f)
				c, s := pair(t, a, b)
				require.NoError(t, s.Close())
				_, err := c.Read(make([]byte, 1))
				require.ErrorIs(t, err, io.EOF, "the FIN arrives first")

				k, err := c.Write([]byte("hello"))
				assert.NoError(t, err, "the write that discovers the closed peer succeeds")
				assert.Equal(t, 5, k)

				time.Sleep(2 * time.Second) // the RST comes back, however slow the link
				k, err = c.Write([]byte("again"))
				assert.Zero(t, k)
				assert.ErrorIs(t, err, transport.RemoteHostClosedError)
				assert.ErrorIs(t, err, syscall.EPIPE, "EPIPE, as for a socket in CLOSE_WAIT")
				assert.NotErrorIs(t, err, syscall.ECONNRESET)
			})
		})
	}
}
