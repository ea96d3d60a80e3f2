package mem

import (
	"io"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// tieDatagramOrder sends "a" from a and "c" from c to one socket on b at
// the same instant, over links with the same latency, and returns the
// order b receives them in and when.
func tieDatagramOrder(t *testing.T, opts ...Option) (order string, at []time.Duration) {
	synctest.Test(t, func(t *testing.T) {
		w := newDGWorld(t, append([]Option{WithLinkFaults(Faults{Latency: time.Millisecond})}, opts...)...)
		rx := bindDG(t, w.b, "0.0.0.0:7", transport.BindOptions{})
		fromA := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
		fromC := bindDG(t, w.c, "0.0.0.0:0", transport.BindOptions{})
		start := time.Now()
		dgSend(t, fromA, "a", "10.0.0.2:7")
		dgSend(t, fromC, "c", "10.0.0.2:7")
		for range 2 {
			p, _ := dgRecv(t, rx)
			order += p
			at = append(at, time.Since(start))
		}
	})
	return order, at
}

// With tie-breaking the order of two datagrams due at the same instant is
// a function of the tie seed: the same seed gives the same order, and
// some seeds give each order. Each arrives within TieWindow of its time.
func TestTieBreakOrdersSimultaneousDatagrams(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(16) {
		order, at := tieDatagramOrder(t, WithTieBreak(seed))
		again, at2 := tieDatagramOrder(t, WithTieBreak(seed))
		require.Equal(t, order, again, "seed %d", seed)
		require.Equal(t, at, at2, "seed %d", seed)
		seen[order] = true
		for _, d := range at {
			assert.Greater(t, d, time.Millisecond)
			assert.LessOrEqual(t, d, time.Millisecond+TieWindow)
		}
		assert.NotEqual(t, at[0], at[1], "one delivery per instant")
	}
	assert.Equal(t, map[string]bool{"ac": true, "ca": true}, seen)
}

// Without WithTieBreak the times are exact, as before.
func TestTieBreakOffByDefault(t *testing.T) {
	_, at := tieDatagramOrder(t)
	assert.Equal(t, []time.Duration{time.Millisecond, time.Millisecond}, at)
}

// tieStreamOrder has two clients write at the same instant to a server
// that reads both connections, and returns which request it read first.
func tieStreamOrder(t *testing.T, seed uint64) string {
	var first string
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t, WithTieBreak(seed), WithLinkFaults(Faults{Segment: Segmentation{Mode: SegmentByte}}))
		ln := listen(t, b, transport.ListenOptions{})
		c1, s1 := dialAccept(t, a, ln, transport.DialOptions{})
		c2, s2 := dialAccept(t, a, ln, transport.DialOptions{})
		got := make(chan string, 2)
		for _, s := range []*Conn{s1, s2} {
			go func() {
				b, err := io.ReadAll(s)
				assert.NoError(t, err)
				got <- string(b)
			}()
		}
		for _, c := range []*Conn{c1, c2} {
			_, err := c.Write([]byte(c.LocalAddrPort().String()))
			require.NoError(t, err)
			require.NoError(t, c.CloseWrite())
		}
		first = <-got
		<-got
	})
	return first
}

// Streams keep their bytes in order (here one byte per segment), while
// which of two streams finishes first depends on the tie seed alone.
func TestTieBreakOrdersStreams(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(16) {
		first := tieStreamOrder(t, seed)
		require.Equal(t, first, tieStreamOrder(t, seed), "seed %d", seed)
		seen[first] = true
	}
	assert.Equal(t, map[string]bool{"10.0.0.1:32768": true, "10.0.0.1:32769": true}, seen)
}

// With tie-breaking a fault-free link no longer delivers inline: the write
// arrives after an offset, so no two deliveries share an instant.
func TestTieBreakNoInlineDelivery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t, WithTieBreak(7))
		c, s := pair(t, a, b)
		start := time.Now()
		_, err := c.Write([]byte("hello\n"))
		require.NoError(t, err)
		buf := make([]byte, 16)
		n, err := s.Read(buf)
		require.NoError(t, err)
		assert.Equal(t, "hello\n", string(buf[:n]))
		d := time.Since(start)
		assert.Greater(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, TieWindow)
	})
}

// WithLinkFaults gives every new link its faults; SetFaults still changes
// one.
func TestWithLinkFaults(t *testing.T) {
	f := Faults{Latency: 3 * time.Millisecond, Segment: Segmentation{Mode: SegmentFixed, Size: 2}}
	n, a, b := twoHosts(t, WithLinkFaults(f))
	assert.Equal(t, f, n.Link(a, b).Faults())
	assert.Equal(t, f, n.Link(b, a).Faults())
	n.Link(a, b).SetFaults(Faults{})
	assert.Equal(t, Faults{}, n.Link(a, b).Faults())
	assert.Equal(t, f, n.Link(a, a).Faults(), "loopback links too")
}
