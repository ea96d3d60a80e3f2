package mem

import (
	"io"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clockPair connects a and b over links of latency each way.
func clockPair(t *testing.T, latency time.Duration, opts ...Option) (*Conn, *Conn, *segTap) {
	tap := &segTap{}
	n, a, b := twoHosts(t, append([]Option{WithTap(tap)}, opts...)...)
	n.Link(a, b).SetFaults(Faults{Latency: latency})
	n.Link(b, a).SetFaults(Faults{Latency: latency})
	c, s := pair(t, a, b)
	tap.start(c)
	return c, s, tap
}

// segTap records when each data segment from one end was sent, and its size.
type segTap struct {
	mu    sync.Mutex
	from  *Conn
	t0    time.Time
	times []time.Duration
	sizes []int
}

func (r *segTap) start(from *Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.from, r.t0 = from, time.Now()
}

func (r *segTap) Stream(ev StreamEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.from == nil || ev.Src != r.from.LocalAddrPort() || len(ev.Data) == 0 {
		return
	}
	r.times = append(r.times, ev.Time.Sub(r.t0))
	r.sizes = append(r.sizes, len(ev.Data))
}

func (r *segTap) Datagram(DatagramEvent) {}

// burst returns how many segments were sent at each distinct time.
func (r *segTap) bursts() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for i, at := range r.times {
		if i == 0 || at != r.times[i-1] {
			out = append(out, 0)
		}
		out[len(out)-1]++
	}
	return out
}

func TestSegmentsAreCutAtTheMSS(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s, tap := clockPair(t, time.Millisecond)
		go func() { _, _ = io.Copy(io.Discard, s) }()
		_, err := c.Write(make([]byte, 5000))
		require.NoError(t, err)
		synctest.Wait()
		// MTU 1500 minus 20 bytes of IPv4 and 20 of TCP header.
		assert.Equal(t, []int{1460, 1460, 1460, 620}, tap.sizes)
	})
}

// TestWindowReopensOnAck: with the send buffer full, a Write waits for the
// acknowledgement to come back, one round trip, however fast the reader.
func TestWindowReopensOnAck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s, _ := clockPair(t, 20*time.Millisecond)
		go func() { _, _ = io.Copy(io.Discard, s) }()
		start := time.Now()
		_, err := c.Write(make([]byte, DefaultBufferSize))
		require.NoError(t, err)
		assert.Zero(t, time.Since(start), "the send buffer takes it at once")
		_, err = c.Write([]byte{1})
		require.NoError(t, err)
		assert.Equal(t, 40*time.Millisecond, time.Since(start), "the read at 20ms opens nothing; the ACK at 40ms does")
	})
}

// TestBulkIsWindowPerRoundTrip: a bulk transfer moves one send buffer per
// round trip, as TCP does, not two.
func TestBulkIsWindowPerRoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s, _ := clockPair(t, 20*time.Millisecond)
		const size = 16 * DefaultBufferSize
		start := time.Now()
		go func() {
			_, _ = c.Write(make([]byte, size))
			_ = c.Close()
		}()
		n, err := io.Copy(io.Discard, s)
		require.NoError(t, err)
		require.EqualValues(t, size, n)
		// 16 windows: the last leaves after 15 round trips and arrives 20ms later.
		assert.Equal(t, 15*40*time.Millisecond+20*time.Millisecond, time.Since(start))
	})
}

func TestSlowStartDoublesPerRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want []int
	}{
		{"IW10", []Option{WithSlowStart(true)}, []int{10, 20, 40}},
		{"IW4", []Option{WithSlowStart(true), WithInitialWindow(4)}, []int{4, 8, 16, 32}},
		{"off", nil, []int{45}}, // all the send buffer holds goes at once
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, s, tap := clockPair(t, 20*time.Millisecond, tc.opts...)
				go func() { _, _ = io.Copy(io.Discard, s) }()
				total := 0
				for _, k := range tc.want {
					total += k
				}
				_, err := c.Write(make([]byte, total*1460-1000))
				require.NoError(t, err)
				synctest.Wait()
				time.Sleep(time.Second)
				assert.Equal(t, tc.want, tap.bursts())
			})
		})
	}
}
