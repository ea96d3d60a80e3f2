package mem

import (
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

func TestRetransmitTimeoutIsLinuxs(t *testing.T) {
	assert.Equal(t, 924600*time.Millisecond, RetransmitTimeout(DefaultRetransmitRetries))
	assert.Equal(t, 200*time.Millisecond, RetransmitTimeout(0))
	assert.Equal(t, 3*time.Second, RetransmitTimeout(3))
}

// readFails reads s until it fails and returns the error and when.
func readFails(s *Conn, start time.Time) (time.Duration, error) {
	buf := make([]byte, 64)
	for {
		if _, err := s.Read(buf); err != nil {
			return time.Since(start), err
		}
	}
}

// wantConnTimeout asserts err is the error of a stream whose peer stopped
// answering: SocketTimeoutError, Timeout(), wrapping ETIMEDOUT.
func wantConnTimeout(t *testing.T, err error, what string) {
	t.Helper()
	assert.ErrorIs(t, err, transport.SocketTimeoutError, what)
	assert.ErrorIs(t, err, syscall.ETIMEDOUT, what)
	var ne net.Error
	if assert.True(t, errors.As(err, &ne), what) {
		assert.True(t, ne.Timeout(), what)
	}
}

func TestPartitionEndsStreamAfterRetransmitBudget(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want time.Duration
	}{
		{"default", nil, 924600 * time.Millisecond},
		{"three retries", []Option{WithRetransmitRetries(3)}, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n, a, b := twoHosts(t, tc.opts...)
				n.Link(a, b).SetFaults(Faults{Latency: 10 * time.Millisecond})
				c, s := dialAccept(t, a, listen(t, b, transport.ListenOptions{}), transport.DialOptions{KeepAlive: -1})
				n.Partition(a, b)
				start := time.Now()
				_, err := c.Write([]byte("lost"))
				require.NoError(t, err)
				type result struct {
					at  time.Duration
					err error
				}
				got := make(chan result, 1)
				go func() {
					at, err := readFails(s, start)
					got <- result{at, err}
				}()
				at, err := readFails(c, start)
				wantConnTimeout(t, err, "the sender's Read")
				// The segment meets the partition one latency after it is sent.
				assert.Equal(t, 10*time.Millisecond+tc.want, at)
				r := <-got
				wantConnTimeout(t, r.err, "the receiver's Read")
				assert.Equal(t, at, r.at, "both ends fail together")
				_, err = c.Write([]byte("x"))
				wantConnTimeout(t, err, "a Write afterwards")
			})
		})
	}
}

func TestHealBeforeBudgetKeepsStream(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t, WithRetransmitRetries(3))
		c, s := pair(t, a, b)
		n.Partition(a, b)
		_, err := c.Write([]byte("late"))
		require.NoError(t, err)
		time.AfterFunc(2*time.Second, func() { n.Heal(a, b) })
		buf := make([]byte, 4)
		_, err = io.ReadFull(s, buf)
		require.NoError(t, err)
		assert.Equal(t, "late", string(buf))
		time.Sleep(time.Hour) // the budget's timer was stopped by the heal
		_, err = c.Write([]byte("more"))
		require.NoError(t, err)
		_, err = io.ReadFull(s, buf)
		require.NoError(t, err)
	})
}

func TestKeepAliveEndsIdlePartitionedStream(t *testing.T) {
	for _, tc := range []struct {
		name      string
		keepAlive time.Duration
		want      time.Duration
	}{
		{"defaults", 0, DefaultKeepAliveIdle + DefaultKeepAliveCount*DefaultKeepAliveInterval},
		{"one second", time.Second, 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n, a, b := twoHosts(t)
				c, s := dialAccept(t, a, listen(t, b, transport.ListenOptions{}), transport.DialOptions{KeepAlive: tc.keepAlive})
				start := time.Now()
				n.Partition(a, b)
				at, err := readFails(c, start)
				wantConnTimeout(t, err, "the prober's Read")
				assert.Equal(t, tc.want, at)
				_, err = s.Read(make([]byte, 1))
				wantConnTimeout(t, err, "the peer's Read")
			})
		})
	}
}

func TestIdlePartitionWithoutKeepAliveLasts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		c, s := dialAccept(t, a, listen(t, b, transport.ListenOptions{}), transport.DialOptions{KeepAlive: -1})
		n.Partition(a, b)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(24*time.Hour)))
		_, err := c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, os.ErrDeadlineExceeded, "only the deadline ends the wait")
		assert.NotErrorIs(t, err, syscall.ETIMEDOUT)

		// Turning keepalive on during the cut starts the probes.
		require.NoError(t, c.SetOption(transport.KeepAliveOption, 1))
		start := time.Now()
		at, err := readFails(s, start)
		wantConnTimeout(t, err, "after KeepAliveOption")
		assert.Equal(t, DefaultKeepAliveIdle+DefaultKeepAliveCount*DefaultKeepAliveInterval, at)
	})
}

func TestKeepAliveHealResets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		n.Partition(a, b)
		time.Sleep(100 * time.Second)
		n.Heal(a, b)
		time.Sleep(time.Hour)
		_, err := c.Write([]byte("ok"))
		require.NoError(t, err)
		buf := make([]byte, 2)
		_, err = io.ReadFull(s, buf)
		require.NoError(t, err)
	})
}
