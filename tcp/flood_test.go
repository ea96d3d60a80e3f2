package tcp_test

import (
	"context"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"net"
	"net/netip"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// A flooding peer against a bounded read buffer, and flow control (issue
// 9, "Done when" → Load).
//
//	go test -race -count=1 -run 'Flood|FlowControl' ./tcp/

// floodPattern is what a raw peer writes: block after block of random bytes,
// each stamped with its number so that a lost, repeated or reordered block
// changes the checksum. It keeps the checksum of what was written.
type floodPattern struct {
	block []byte
	count uint64
	sum   uint32
}

func newFloodPattern(size int) *floodPattern {
	p := &floodPattern{block: make([]byte, size)}
	_, _ = rand.NewChaCha8(seed(-1)).Read(p.block)
	return p
}

// next stamps and returns the next block.
func (p *floodPattern) next() []byte {
	p.count++
	for i := range 8 {
		p.block[i] = byte(p.count >> (8 * i))
	}
	return p.block
}

// wrote adds what the transport accepted of the block to the checksum.
func (p *floodPattern) wrote(b []byte) { p.sum = crc32.Update(p.sum, castagnoli, b) }

// A peer writes as fast as it can at a socket with a 64 KiB read buffer
// whose user reads slowly (a quarter of the buffer at a time, waiting for
// more only when it is empty), without a loop (blocking mode). Every byte
// arrives intact, the read buffer never holds more than its bound, and the
// process's heap stays under 16 MiB.
func TestFloodLoopback(t *testing.T) {
	const (
		bufSize   = 64 << 10
		heapLimit = 16 << 20
		sample    = 64 << 20 // sample the heap after every 64 MiB
	)
	// 1 GiB also under -race: 26 s there on a 2-core machine at load
	// average 30 (3 s without -race).
	const total int64 = 1 << 30
	w := osWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ln, err := w.server.Listen(ctx, netip.AddrPortFrom(w.serverAddr, 0), transport.ListenOptions{})
	require.NoError(t, err)
	defer ln.Close()

	sent := make(chan peerResult, 1)
	go func() { sent <- flood(ctx, ln, total) }()

	c, err := tcp.NewSocket(socket.WithTransport(w.client))
	require.NoError(t, err)
	defer c.Destroy()
	require.NoError(t, c.SetReadBufferSize(bufSize))
	require.NoError(t, c.ConnectToHost(w.serverAddr.String(), int(ln.AddrPort().Port())))
	require.NoError(t, c.WaitForConnected(10*time.Second))

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap, maxHeap := ms.HeapInuse, ms.HeapInuse
	start := time.Now()
	buf := make([]byte, bufSize/4)
	var got int64
	var sum uint32
	var maxAvail int64
	full := 0 // passes that found the buffer full: the peer was held back
	for next := int64(sample); got < total; {
		avail := c.BytesAvailable()
		if avail == 0 {
			require.NoError(t, c.WaitForReadyRead(30*time.Second), "after %d bytes", got)
			avail = c.BytesAvailable()
		}
		maxAvail = max(maxAvail, avail)
		if avail == bufSize {
			full++
		}
		n, err := c.Read(buf)
		require.NoError(t, err, "after %d bytes", got)
		sum = crc32.Update(sum, castagnoli, buf[:n])
		got += int64(n)
		if got >= next {
			runtime.ReadMemStats(&ms)
			maxHeap = max(maxHeap, ms.HeapInuse)
			next += sample
		}
	}
	elapsed := time.Since(start)
	p := <-sent
	require.NoError(t, p.err)
	if c.State() != socket.UnconnectedState { // the peer closed after its last byte
		require.NoError(t, c.WaitForDisconnected(10*time.Second))
	}

	t.Logf("flood: %d MiB in %v (%.0f MiB/s); heap in use %.1f MiB before, max %.1f MiB during; "+
		"read buffer max %d bytes, full on %d of the reads",
		got>>20, elapsed.Round(time.Millisecond), float64(got)/(1<<20)/elapsed.Seconds(),
		float64(baseHeap)/(1<<20), float64(maxHeap)/(1<<20), maxAvail, full)
	assert.Equal(t, total, got)
	assert.Equal(t, p.sum, sum, "checksum of what arrived")
	assert.LessOrEqual(t, maxAvail, int64(bufSize), "read buffer beyond its bound")
	assert.Less(t, maxHeap, uint64(heapLimit), "heap in use during the flood")
}

// peerResult is what a raw peer wrote.
type peerResult struct {
	n   int64
	sum uint32
	err error
}

// flood accepts one connection on ln and writes total bytes to it as fast
// as it can, then closes it.
func flood(ctx context.Context, ln transport.Listener, total int64) peerResult {
	st, err := ln.AcceptStream(ctx)
	if err != nil {
		return peerResult{err: err}
	}
	defer st.Close()
	p := newFloodPattern(64 << 10)
	var r peerResult
	for r.n < total {
		b := p.next()
		b = b[:min(int64(len(b)), total-r.n)]
		n, err := st.Write(b)
		p.wrote(b[:n])
		r.n += int64(n)
		if err != nil {
			r.err = err
			break
		}
	}
	r.sum = p.sum
	return r
}

// With a 64 KiB read buffer and nobody reading, the socket holds at most
// 64 KiB and the peer's writes block (a write with a deadline times out);
// once the socket is read, everything the peer wrote arrives intact.
func TestFlowControl(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		const bufSize = 64 << 10
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		ln, err := w.server.Listen(ctx, netip.AddrPortFrom(w.serverAddr, 0), transport.ListenOptions{})
		require.NoError(t, err)
		defer ln.Close()
		blocked := make(chan peerResult, 1)
		go func() { blocked <- writeUntilBlocked(ctx, ln) }()

		l := startLoop(t, "client")
		var c *tcp.Socket
		var maxAvail atomic.Int64
		draining := false
		var got int64
		var sum uint32
		drain := func() {
			b := c.ReadAll()
			got += int64(len(b))
			sum = crc32.Update(sum, castagnoli, b)
		}
		on(t, l, func() {
			c, err = tcp.NewSocket(socket.WithTransport(w.client), socket.WithLoop(l))
			if err != nil {
				return
			}
			if err = c.SetReadBufferSize(bufSize); err != nil {
				return
			}
			if _, err = c.ReadyRead.Connect(func() {
				if n := c.BytesAvailable(); n > maxAvail.Load() {
					maxAvail.Store(n)
				}
				if draining {
					drain()
				}
			}); err != nil {
				return
			}
			err = c.ConnectToHost(w.serverAddr.String(), int(ln.AddrPort().Port()))
		})
		require.NoError(t, err)
		defer on(t, l, c.Destroy)

		p := <-blocked
		var ne net.Error
		require.True(t, errors.As(p.err, &ne) && ne.Timeout(), "the peer's write should time out, got %v", p.err)
		t.Logf("%s: the peer wrote %d bytes before its write blocked", w.name, p.n)
		assert.Greater(t, p.n, int64(bufSize))
		full := func() bool { return c.BytesAvailable() == bufSize }
		require.NoError(t, c.WaitUntil(ctx, full), "the read buffer should fill up to its bound")
		assert.LessOrEqual(t, maxAvail.Load(), int64(bufSize))

		on(t, l, func() { draining = true; drain() })
		require.NoError(t, c.WaitUntil(ctx, func() bool { return got >= p.n }))
		on(t, l, func() {
			assert.Equal(t, p.n, got)
			assert.Equal(t, p.sum, sum, "checksum of what arrived")
		})
		assert.LessOrEqual(t, maxAvail.Load(), int64(bufSize))
	})
}

// writeUntilBlocked accepts one connection on ln and writes to it until a
// write has been blocked for its whole deadline, then closes it.
func writeUntilBlocked(ctx context.Context, ln transport.Listener) peerResult {
	st, err := ln.AcceptStream(ctx)
	if err != nil {
		return peerResult{err: err}
	}
	defer st.Close()
	p := newFloodPattern(16 << 10)
	var r peerResult
	for r.err == nil {
		if err := st.SetWriteDeadline(time.Now().Add(300 * time.Millisecond)); err != nil {
			return peerResult{err: err}
		}
		b := p.next()
		n, err := st.Write(b)
		p.wrote(b[:n])
		r.n += int64(n)
		r.err = err
	}
	r.sum = p.sum
	return r
}
