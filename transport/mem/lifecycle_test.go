package mem

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// A stream left open with segments in flight and a keepalive counting is
// named with those timers, and Close stops them: nothing fires after it.
func TestCloseNamesConnTimers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t, WithCreationSites(true))
		ln := listen(t, b, transport.ListenOptions{})
		c, s := dialAccept(t, a, ln, transport.DialOptions{})
		n.Link(a, b).SetFaults(Faults{Latency: time.Second})
		_, err := c.Write([]byte("hello\n"))
		require.NoError(t, err)
		require.NoError(t, ln.Close())
		n.Partition(a, b)
		err = n.Close()
		var leaks *LeakError
		require.True(t, errors.As(err, &leaks), "%v", err)
		require.Len(t, leaks.Leaks, 2)
		assert.Equal(t, "conn", leaks.Leaks[0].Kind)
		assert.Contains(t, leaks.Leaks[0].What, "10.0.0.1:32768->10.0.0.2:80 on host a (dialed); timers pending: delivery of 1 segments to 10.0.0.2:80, keepalive of 10.0.0.1:32768")
		assert.Contains(t, leaks.Leaks[1].What, "(accepted)")
		assert.Equal(t, "stream_helpers_test.go", leaks.Leaks[0].Site[:len("stream_helpers_test.go")])
		time.Sleep(time.Hour) // nothing is left to fire
		_, err = s.Read(make([]byte, 1))
		assert.ErrorIs(t, err, net.ErrClosed)
	})
}

// A network the test cleaned up closes without error, and only once.
func TestCloseClean(t *testing.T) {
	n, a, b := twoHosts(t)
	l, err := b.Listen(context.Background(), netip.AddrPortFrom(addrB, 80), transport.ListenOptions{})
	require.NoError(t, err)
	c, s := dialAccept(t, a, l.(*Listener), transport.DialOptions{})
	require.NoError(t, c.Close())
	require.NoError(t, s.Close())
	require.NoError(t, l.Close())
	assert.NoError(t, n.Close())
	assert.True(t, n.Closed())
	assert.NoError(t, n.Close())
}

// Dials racing with Close either connect before it (and are named and
// aborted) or are refused: none ends up open on a closed network.
func TestCloseRacingDials(t *testing.T) {
	n, a, b := twoHosts(t)
	l, err := b.Listen(context.Background(), netip.AddrPortFrom(addrB, 80), transport.ListenOptions{})
	require.NoError(t, err)
	var mu sync.Mutex // guards conns
	var conns []transport.Stream
	first := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				c, err := a.Dial(context.Background(), l.AddrPort(), transport.DialOptions{})
				if err != nil {
					assert.ErrorIs(t, err, net.ErrClosed)
					return
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
				select {
				case first <- struct{}{}:
				default:
				}
			}
		})
	}
	for range 8 {
		<-first
	}
	assert.Error(t, n.Close())
	wg.Wait()
	for _, c := range conns {
		_, err := c.Write([]byte("x"))
		assert.ErrorIs(t, err, net.ErrClosed, "every stream dialed before Close was closed by it")
	}
}
