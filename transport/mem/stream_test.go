package mem

import (
	"bytes"
	"io"
	"net"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackPressureExactWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		require.NoError(t, c.SetOption(transport.SendBufferSizeSocketOption, 100))
		require.NoError(t, s.SetOption(transport.ReceiveBufferSizeSocketOption, 50))

		n, err := c.Write(make([]byte, 150))
		require.NoError(t, err)
		assert.Equal(t, 150, n, "the whole window is accepted without blocking")

		wrote := make(chan int)
		go func() {
			n, _ := c.Write(bytes.Repeat([]byte{7}, 40))
			wrote <- n
		}()
		synctest.Wait()
		select {
		case <-wrote:
			t.Fatal("Write did not block on a full window")
		default:
		}
		buf := make([]byte, 25)
		n, err = io.ReadFull(s, buf)
		require.NoError(t, err)
		assert.Equal(t, 25, n)
		synctest.Wait()
		select {
		case <-wrote:
			t.Fatal("Write finished with 15 bytes still pending")
		default:
		}
		_, err = io.ReadFull(s, buf[:15])
		require.NoError(t, err)
		assert.Equal(t, 40, <-wrote)
		rest := make([]byte, 150)
		_, err = io.ReadFull(s, rest)
		require.NoError(t, err)
		assert.Equal(t, bytes.Repeat([]byte{7}, 40), rest[110:])
	})
}

func TestWriteDeadlineWhileBlocked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		require.NoError(t, c.SetOption(transport.SendBufferSizeSocketOption, 10))
		require.NoError(t, s.SetOption(transport.ReceiveBufferSizeSocketOption, 10))
		start := time.Now()
		require.NoError(t, c.SetWriteDeadline(start.Add(time.Second)))
		time.AfterFunc(500*time.Millisecond, func() { c.SetWriteDeadline(start.Add(3 * time.Second)) })
		n, err := c.Write(make([]byte, 30))
		assertTimeout(t, err)
		assert.Equal(t, 20, n)
		assert.Equal(t, 3*time.Second, time.Since(start), "extending a opDeadline while blocked works")
		require.NoError(t, c.SetWriteDeadline(time.Time{}))
		got := make([]byte, 20)
		_, err = io.ReadFull(s, got)
		require.NoError(t, err)
		_, err = c.Write([]byte("ok"))
		assert.NoError(t, err, "a zero opDeadline clears")
	})
}

func TestReadDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		start := time.Now()
		c.SetReadDeadline(start.Add(time.Second))
		_, err := c.Read(make([]byte, 1))
		assertTimeout(t, err)
		assert.Equal(t, time.Second, time.Since(start))
		_, err = s.Write([]byte("x"))
		require.NoError(t, err)
		_, err = c.Read(make([]byte, 1))
		assertTimeout(t, err) // past deadline: immediate, even with data
		c.SetReadDeadline(time.Time{})
		n, err := c.Read(make([]byte, 1))
		assert.NoError(t, err)
		assert.Equal(t, 1, n)
	})
}

func TestHalfCloseBothWays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		_, err := c.Write([]byte("request"))
		require.NoError(t, err)
		require.NoError(t, c.CloseWrite())
		require.NoError(t, c.CloseWrite(), "idempotent")
		_, err = c.Write([]byte("more"))
		assert.ErrorIs(t, err, syscall.EPIPE)

		got, err := io.ReadAll(s)
		require.NoError(t, err)
		assert.Equal(t, "request", string(got))
		_, err = s.Write([]byte("response"))
		require.NoError(t, err)
		require.NoError(t, s.CloseWrite())

		got, err = io.ReadAll(c)
		require.NoError(t, err, "the closer can still read")
		assert.Equal(t, "response", string(got))
		n, err := c.Read(make([]byte, 1))
		assert.Equal(t, 0, n)
		assert.Equal(t, io.EOF, err, "a plain io.EOF")
	})
}

func TestCloseDeliversEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Latency: 5 * time.Millisecond, Segment: Segmentation{Mode: SegmentFixed, Size: 1000}})
		c, s := pair(t, a, b)
		want := bytes.Repeat([]byte("0123456789"), 50_000) // beyond the window
		go func() {
			_, err := c.Write(want)
			assert.NoError(t, err)
			assert.NoError(t, c.Close())
		}()
		got, err := io.ReadAll(s)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	})
}

func TestCloseUnblocksEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		require.NoError(t, c.SetOption(transport.SendBufferSizeSocketOption, 1))
		require.NoError(t, s.SetOption(transport.ReceiveBufferSizeSocketOption, 1))
		errs := make(chan error, 3)
		go func() { _, err := c.Read(make([]byte, 1)); errs <- err }()
		go func() { _, err := c.Write(make([]byte, 10)); errs <- err }()
		go func() { _, err := c.Write(make([]byte, 10)); errs <- err }()
		synctest.Wait()
		require.NoError(t, c.Close())
		for range 3 {
			err := <-errs
			assert.ErrorIs(t, err, net.ErrClosed)
		}
		assert.ErrorIs(t, c.Close(), net.ErrClosed)
		got, err := io.ReadAll(s)
		require.NoError(t, err)
		assert.Len(t, got, 2, "what was accepted before Close still arrives")
	})
}

func TestAbortResetsPeer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Latency: 10 * time.Millisecond})
		c, s := pair(t, a, b)
		_, err := c.Write([]byte("arrived"))
		require.NoError(t, err)
		time.Sleep(10 * time.Millisecond)
		_, err = c.Write([]byte("in flight"))
		require.NoError(t, err)
		start := time.Now()
		require.NoError(t, c.Abort())
		_, err = c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, net.ErrClosed)

		buf := make([]byte, 64)
		k, err := s.Read(buf)
		require.NoError(t, err)
		assert.Equal(t, "arrived", string(buf[:k]))
		_, err = s.Read(buf)
		require.Error(t, err)
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		assert.ErrorIs(t, err, syscall.ECONNRESET)
		assert.Equal(t, 10*time.Millisecond, time.Since(start))
		_, err = s.Write([]byte("x"))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		assert.Equal(t, uint64(1), b.Counters().Resets)
	})
}

func TestWriteToClosedPeerIsReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Latency: time.Millisecond})
		n.Link(b, a).SetFaults(Faults{Latency: time.Millisecond})
		c, s := pair(t, a, b)
		require.NoError(t, s.Close())
		_, err := c.Write([]byte("x")) // the FIN has not arrived; the write goes out
		require.NoError(t, err)
		_, err = io.ReadAll(c)
		assert.NoError(t, err, "the FIN arrives first")
		time.Sleep(time.Millisecond) // the data reaches the closed end at 1 ms, its RST comes back at 2 ms
		synctest.Wait()
		_, err = c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError, "data for a closed socket is answered with RST")
		_, err = c.Write([]byte("y"))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
	})
}

func TestLatencyFirstByteAtExactlyL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		const L = 42 * time.Millisecond
		n.Link(a, b).SetFaults(Faults{Latency: L})
		c, s := pair(t, a, b)
		start := time.Now()
		_, err := c.Write([]byte("hi"))
		require.NoError(t, err)
		assert.Equal(t, time.Duration(0), time.Since(start), "Write does not wait for delivery")
		buf := make([]byte, 2)
		_, err = io.ReadFull(s, buf)
		require.NoError(t, err)
		assert.Equal(t, L, time.Since(start))
	})
}

func TestOptions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, _ := pair(t, a, b)
		for opt, want := range map[transport.SocketOption]int{
			transport.SendBufferSizeSocketOption: DefaultBufferSize, transport.ReceiveBufferSizeSocketOption: DefaultBufferSize,
			transport.KeepAliveOption: 1, transport.LowDelayOption: 0, transport.PathMtuSocketOption: DefaultMTU,
		} {
			got, err := c.Option(opt)
			require.NoError(t, err)
			assert.Equal(t, want, got, "option %d", opt)
		}
		require.NoError(t, c.SetOption(transport.LowDelayOption, 1))
		require.NoError(t, c.SetOption(transport.TypeOfServiceOption, 0x10))
		v, _ := c.Option(transport.TypeOfServiceOption)
		assert.Equal(t, 0x10, v)
		assert.ErrorIs(t, c.SetOption(transport.MulticastTtlOption, 1), transport.UnsupportedSocketOperationError)
		assert.ErrorIs(t, c.SetOption(transport.SendBufferSizeSocketOption, 0), transport.UnsupportedSocketOperationError)
		_, err := c.Option(transport.MulticastLoopbackOption)
		assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
	})
}

func TestResizeWhileBuffered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		want := pattern(100_000)
		_, err := c.Write(want)
		require.NoError(t, err)
		require.NoError(t, s.SetOption(transport.ReceiveBufferSizeSocketOption, 10))
		require.NoError(t, c.SetOption(transport.SendBufferSizeSocketOption, 10))
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, err := c.Write(want[:50])
			assert.NoError(t, err)
		}()
		synctest.Wait()
		select {
		case <-done:
			t.Fatal("a shrunk window still accepted data")
		default:
		}
		got := make([]byte, 100_050)
		_, err = io.ReadFull(s, got)
		require.NoError(t, err)
		<-done
		assert.Equal(t, want, got[:100_000])
		assert.Equal(t, want[:50], got[100_000:])
		require.NoError(t, s.SetOption(transport.ReceiveBufferSizeSocketOption, 1<<20))
		_, err = c.Write(pattern(1 << 20))
		assert.NoError(t, err, "a grown window accepts more at once")
	})
}

func TestShortReadsWithLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t)
		n.Link(a, b).SetFaults(Faults{Latency: time.Millisecond, Segment: Segmentation{Mode: SegmentFixed, Size: 3, ShortReads: true}})
		c, s := pair(t, a, b)
		_, err := c.Write([]byte("abcdefgh"))
		require.NoError(t, err)
		time.Sleep(time.Second) // everything has arrived; reads still stop at segment ends
		var reads []string
		buf := make([]byte, 100)
		for range 3 {
			k, err := s.Read(buf)
			require.NoError(t, err)
			reads = append(reads, string(buf[:k]))
		}
		assert.Equal(t, []string{"abc", "def", "gh"}, reads)
	})
}

// TestLargeWritesToWaitingReader: large Writes handed straight to a
// waiting Read, whole or in part, and copied through the ring when the Read
// is not back yet, arrive complete and in order.
func TestLargeWritesToWaitingReader(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		const chunk, chunks = 64 << 10, 12
		want := make([]byte, 0, chunk*chunks)
		for i := range chunks {
			want = append(want, bytes.Repeat([]byte{byte(i + 1)}, chunk)...)
		}
		got := make(chan []byte)
		go func() {
			var all []byte
			buf := make([]byte, 40<<10) // smaller than a write: partial hand-offs
			for len(all) < len(want) {
				n, err := s.Read(buf)
				if err != nil {
					break
				}
				all = append(all, buf[:n]...)
			}
			got <- all
		}()
		synctest.Wait() // the Read waits before the first Write
		for i := range chunks {
			n, err := c.Write(want[i*chunk : (i+1)*chunk])
			require.NoError(t, err)
			require.Equal(t, chunk, n)
		}
		assert.True(t, bytes.Equal(want, <-got), "the stream arrives complete and in order")
	})
}

// TestPastDeadlineWakesBlocked: a deadline set in the past while a Read
// and a Write are blocked fails both at once with a timeout.
func TestPastDeadlineWakesBlocked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, a, b := twoHosts(t)
		c, s := pair(t, a, b)
		require.NoError(t, c.SetOption(transport.SendBufferSizeSocketOption, 1))
		require.NoError(t, s.SetOption(transport.ReceiveBufferSizeSocketOption, 1))
		read, wrote := make(chan error, 1), make(chan error, 1)
		go func() { _, err := c.Read(make([]byte, 1)); read <- err }()
		go func() { _, err := c.Write(make([]byte, 10)); wrote <- err }()
		synctest.Wait()
		start := time.Now()
		require.NoError(t, c.SetReadDeadline(start.Add(-time.Second)))
		assertTimeout(t, <-read)
		require.NoError(t, c.SetWriteDeadline(start.Add(-time.Second)))
		assertTimeout(t, <-wrote)
		assert.Equal(t, start, time.Now(), "no time passes")
	})
}
