package bench

// Issue 9's benchmarks: tcp.Socket and tcp.Server against raw package net
// on OS loopback (and over the in-memory network against net.Pipe), side
// by side in one run. Every slotnet socket sets LowDelay (TCP_NODELAY), as
// every raw net.TCPConn has it by default; slotnet, like Qt, starts with it
// off. See docs/benchmarks.md, "TCP sockets (issue 9)".

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

const (
	bulkChunk = 64 << 10
	// bulkHigh is how much the event-driven writer keeps queued: it tops
	// the write buffer up to this on every BytesWritten.
	bulkHigh = 8 * bulkChunk
	echoSize = 64
)

// BenchmarkTCPBulk moves 64 KiB writes one way as fast as the reader
// drains them. loopback/raw: net.TCPConn to net.TCPConn; slotnet-tx: an
// event-driven tcp.Socket writing to a raw net reader (only the writer
// differs); slotnet: tcp.Socket on both ends, each on its own loop. mem/:
// net.Pipe against tcp.Socket on both ends over transport/mem. cpu-ms/GB
// is the whole process's CPU time per GB moved.
func BenchmarkTCPBulk(b *testing.B) {
	b.Run("loopback/raw", func(b *testing.B) {
		ln := tcpRawListen(b)
		a, z := rawTCPPair(b, ln)
		benchRawBulk(b, a, z)
	})
	b.Run("loopback/slotnet-tx", func(b *testing.B) {
		ln := tcpRawListen(b)
		acc := make(chan net.Conn, 1)
		go func() {
			c, _ := ln.Accept()
			acc <- c
		}()
		cl := tcpLoop(b, "client")
		c := tcpClient(b, tcpLoopback(), cl, ln.Addr().(*net.TCPAddr).Port)
		z := tcpAwait(b, acc, "accept")
		if z == nil {
			b.Fatal("accept failed")
		}
		defer z.Close()
		total := int64(b.N) * bulkChunk
		drained := rawDrain(z, total)
		benchSlotBulk(b, cl, c, total, drained)
	})
	b.Run("loopback/slotnet", func(b *testing.B) {
		benchSlotBulkBoth(b, tcpLoopback())
	})
	b.Run("mem/netpipe", func(b *testing.B) {
		a, z := net.Pipe()
		defer a.Close()
		defer z.Close()
		benchRawBulk(b, a, z)
	})
	b.Run("mem/slotnet", func(b *testing.B) {
		benchSlotBulkBoth(b, tcpMemNet())
	})
}

func rawTCPPair(b *testing.B, ln *net.TCPListener) (a, z net.Conn) {
	b.Helper()
	acc := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		acc <- c
	}()
	a, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	z = tcpAwait(b, acc, "accept")
	if z == nil {
		b.Fatal("accept failed")
	}
	b.Cleanup(func() { a.Close(); z.Close() })
	return a, z
}

// rawDrain reads z until total bytes came, then closes the channel.
func rawDrain(z net.Conn, total int64) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, bulkChunk)
		for got := int64(0); got < total; {
			n, err := z.Read(buf)
			got += int64(n)
			if err != nil {
				return
			}
		}
	}()
	return done
}

func benchRawBulk(b *testing.B, a, z net.Conn) {
	total := int64(b.N) * bulkChunk
	drained := rawDrain(z, total)
	buf := make([]byte, bulkChunk)
	var cpu cpuMeter
	b.SetBytes(bulkChunk)
	b.ReportAllocs()
	b.ResetTimer()
	cpu.start()
	for range b.N {
		if _, err := a.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	tcpAwait(b, drained, "reader")
	b.StopTimer()
	cpu.report(b, total)
}

// benchSlotBulk writes total bytes through c, event-driven on cl, and
// waits for drained.
func benchSlotBulk(b *testing.B, cl *core.Loop, c *tcp.Socket, total int64, drained <-chan struct{}) {
	buf := make([]byte, bulkChunk)
	left := b.N
	fill := func() {
		for left > 0 && c.BytesToWrite() < bulkHigh {
			if _, err := c.Write(buf); err != nil {
				left = 0
				return
			}
			left--
		}
	}
	tcpOn(b, cl, func() error {
		_, err := c.BytesWritten.Connect(func(int64) { fill() })
		return err
	})
	var cpu cpuMeter
	b.SetBytes(bulkChunk)
	b.ReportAllocs()
	b.ResetTimer()
	cpu.start()
	tcpOn(b, cl, func() error { fill(); return nil })
	tcpAwait(b, drained, "reader")
	b.StopTimer()
	cpu.report(b, total)
}

func benchSlotBulkBoth(b *testing.B, nw tcpNet) {
	cl, sl := tcpLoop(b, "client"), tcpLoop(b, "server")
	c, p := tcpSlotPair(b, nw, cl, sl)
	total := int64(b.N) * bulkChunk
	drained := make(chan struct{})
	tcpOn(b, sl, func() error {
		rb := make([]byte, bulkChunk)
		got := int64(0)
		_, err := p.ReadyRead.Connect(func() {
			for {
				n, err := p.Read(rb)
				got += int64(n)
				if n == 0 || err != nil {
					break
				}
			}
			if got >= total && got-int64(len(rb)) < total {
				close(drained)
				got = total + int64(len(rb)) // once
			}
		})
		return err
	})
	benchSlotBulk(b, cl, c, total, drained)
}

// BenchmarkTCPEcho sends 64 bytes and waits for them to come back, and
// reports the median and 99th percentile round trip. raw: net.TCPConn
// client and echo goroutine; slotnet-loop: an event-driven client on a
// loop; slotnet-blocking: a client with no loop (Write, then
// WaitForReadyRead). Both slotnet clients talk to an event-driven echo
// server on its own loop. mem/: the same over transport/mem, against
// net.Pipe and against raw transport/mem streams.
func BenchmarkTCPEcho(b *testing.B) {
	b.Run("loopback/raw", func(b *testing.B) {
		a, z := rawTCPPair(b, tcpRawListen(b))
		benchRawEcho(b, a, z)
	})
	b.Run("loopback/slotnet-loop", func(b *testing.B) { benchSlotEchoLoop(b, tcpLoopback()) })
	b.Run("loopback/slotnet-blocking", func(b *testing.B) { benchSlotEchoBlocking(b, tcpLoopback()) })
	b.Run("mem/netpipe", func(b *testing.B) {
		a, z := net.Pipe()
		defer a.Close()
		defer z.Close()
		benchRawEcho(b, a, z)
	})
	b.Run("mem/rawstream", func(b *testing.B) {
		a, z, cleanup := memPair(b)
		defer cleanup()
		benchRawEcho(b, a, z)
	})
	b.Run("mem/slotnet-loop", func(b *testing.B) { benchSlotEchoLoop(b, tcpMemNet()) })
	b.Run("mem/slotnet-blocking", func(b *testing.B) { benchSlotEchoBlocking(b, tcpMemNet()) })
}

func benchRawEcho(b *testing.B, a, z net.Conn) {
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, echoSize)
		for {
			if _, err := io.ReadFull(z, buf); err != nil {
				return
			}
			if _, err := z.Write(buf); err != nil {
				return
			}
		}
	})
	defer func() { a.Close(); z.Close(); wg.Wait() }()
	buf := make([]byte, echoSize)
	lat := make(latencies, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		if _, err := a.Write(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(a, buf); err != nil {
			b.Fatal(err)
		}
		lat[i] = time.Since(t0)
	}
	b.StopTimer()
	lat.report(b)
}

// slotEchoServer makes an event-driven echo server on its own loop and
// returns its port.
func slotEchoServer(b *testing.B, nw tcpNet) int {
	sl := tcpLoop(b, "server")
	srv := tcpServer(b, nw, sl, 1, func(p *tcp.Socket) {
		_, _ = p.ReadyRead.Connect(func() { _, _ = p.Write(p.ReadAll()) })
	})
	return tcpPort(b, sl, srv)
}

func benchSlotEchoLoop(b *testing.B, nw tcpNet) {
	port := slotEchoServer(b, nw)
	cl := tcpLoop(b, "client")
	c := tcpClient(b, nw, cl, port)
	msg, rb := make([]byte, echoSize), make([]byte, echoSize)
	lat := make(latencies, b.N)
	done := make(chan error, 1)
	var t0 time.Time
	i := 0
	tcpOn(b, cl, func() error {
		_, err := c.ReadyRead.Connect(func() {
			if c.BytesAvailable() < echoSize || i >= len(lat) {
				return
			}
			if _, err := c.Read(rb); err != nil {
				trySend(done, err)
				return
			}
			lat[i] = time.Since(t0)
			if i++; i == len(lat) {
				done <- nil
				return
			}
			t0 = time.Now()
			_, _ = c.Write(msg)
		})
		return err
	})
	b.ReportAllocs()
	b.ResetTimer()
	tcpOn(b, cl, func() error { t0 = time.Now(); _, err := c.Write(msg); return err })
	if err := tcpAwait(b, done, "echo"); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	lat.report(b)
}

func benchSlotEchoBlocking(b *testing.B, nw tcpNet) {
	c := tcpClient(b, nw, nil, slotEchoServer(b, nw))
	msg, rb := make([]byte, echoSize), make([]byte, echoSize)
	lat := make(latencies, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		for c.BytesAvailable() < echoSize {
			if err := c.WaitForReadyRead(tcpWait); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := c.Read(rb); err != nil {
			b.Fatal(err)
		}
		lat[i] = time.Since(t0)
	}
	b.StopTimer()
	lat.report(b)
}

// BenchmarkTCPCycle is one connect + accept + close on loopback. raw: Dial,
// an accept goroutine that closes what it accepts, then the client closes.
// slotnet: a new event-driven tcp.Socket connects to a tcp.Server on
// another loop, whose NewConnection slot closes and destroys the accepted
// socket; once both sides saw the connection the client closes and is
// destroyed.
func BenchmarkTCPCycle(b *testing.B) {
	b.Run("raw", func(b *testing.B) {
		ln := tcpRawListen(b)
		accepted := make(chan error, 1)
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					accepted <- err
					return
				}
				accepted <- c.Close()
			}
		})
		defer wg.Wait()
		defer ln.Close()
		addr := ln.Addr().String()
		b.ReportAllocs()
		for b.Loop() {
			c, err := net.Dial("tcp4", addr)
			if err != nil {
				b.Fatal(err)
			}
			if err := tcpAwait(b, accepted, "accept"); err != nil {
				b.Fatal(err)
			}
			if err := c.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("slotnet", func(b *testing.B) {
		nw := tcpLoopback()
		cl, sl := tcpLoop(b, "client"), tcpLoop(b, "server")
		accepted := make(chan struct{}, 1)
		srv := tcpServer(b, nw, sl, 1, func(p *tcp.Socket) {
			_ = p.Close()
			p.Destroy()
			accepted <- struct{}{}
		})
		port := tcpPort(b, sl, srv)
		up := make(chan error, 1)
		var c *tcp.Socket
		connect := func() error {
			var err error
			if c, err = tcp.NewSocket(socket.WithTransport(nw.client), socket.WithLoop(cl)); err != nil {
				return err
			}
			if err = lowDelay(c); err != nil {
				return err
			}
			if _, err = c.Connected.Connect(func() { trySend(up, nil) }); err != nil {
				return err
			}
			if _, err = c.ErrorOccurred.Connect(func(e transport.SocketError) {
				if c.State() != socket.ConnectedState {
					trySend(up, error(e)) // the attempt failed
				}
			}); err != nil {
				return err
			}
			return c.ConnectToAddress(nw.addr, port)
		}
		closeClient := func() error {
			err := c.Close()
			c.Destroy()
			return err
		}
		b.ReportAllocs()
		for b.Loop() {
			tcpOn(b, cl, connect)
			if err := tcpAwait(b, up, "connected"); err != nil {
				b.Fatal(err)
			}
			tcpAwait(b, accepted, "accepted")
			tcpOn(b, cl, closeClient)
		}
	})
}

// BenchmarkTCPIdleMemory holds N idle connected sockets (N/2 pairs, both
// ends counted; N = 10,000, see tcpCount) and reports heap + goroutine
// stacks in use per socket (runtime.MemStats HeapInuse + StackInuse after
// a GC, minus the same before; heap and stacks also apart). raw-bufio4k:
// each net.TCPConn has a reader goroutine blocked in a 4 KiB bufio.Reader,
// net/http's shape; raw-1k: a reader goroutine with a 1 KiB buffer
// (slotnet's first read block); slotnet: event-driven tcp.Sockets, the
// clients on one loop, the accepted ones on another.
func BenchmarkTCPIdleMemory(b *testing.B) {
	b.Run("raw-bufio4k", func(b *testing.B) { benchRawIdle(b, 4096) })
	b.Run("raw-1k", func(b *testing.B) { benchRawIdle(b, 1024) })
	b.Run("slotnet", benchSlotIdle)
}

// memInUse is the heap and the goroutine stacks in use after a GC.
type memInUse struct{ heap, stack uint64 }

func inUse() memInUse {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memInUse{ms.HeapInuse, ms.StackInuse}
}

// reportPerSocket reports (heap + stacks) per socket, and each apart.
func reportPerSocket(b *testing.B, before, after memInUse, n int) {
	heap := float64(int64(after.heap)-int64(before.heap)) / float64(n)
	stack := float64(int64(after.stack)-int64(before.stack)) / float64(n)
	b.ReportMetric(heap+stack, "B/socket")
	b.ReportMetric(heap, "heap-B/socket")
	b.ReportMetric(stack, "stack-B/socket")
	b.ReportMetric(float64(n), "sockets")
}

func benchRawIdle(b *testing.B, bufSize int) {
	n := tcpCount(b, 10000, 1)
	for range b.N {
		b.StopTimer()
		ln := tcpRawListen(b)
		b.StartTimer()
		before := inUse()
		conns := make([]net.Conn, 0, n)
		var readers sync.WaitGroup
		serve := func(c net.Conn) {
			readers.Go(func() {
				r := bufio.NewReaderSize(c, bufSize)
				_, _ = r.ReadByte()
			})
		}
		acc := make(chan net.Conn, n/2)
		go func() {
			for range n / 2 {
				c, err := ln.Accept()
				if err != nil {
					close(acc)
					return
				}
				acc <- c
			}
		}()
		dialed, err := dialMany(ln.Addr().String(), n/2, 64)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range dialed {
			conns = append(conns, c)
			serve(c)
		}
		for range n / 2 {
			c, ok := <-acc
			if !ok {
				b.Fatal("accept failed")
			}
			conns = append(conns, c)
			serve(c)
		}
		after := inUse()
		b.StopTimer()
		reportPerSocket(b, before, after, n)
		for _, c := range conns {
			abortConn(c)
		}
		readers.Wait()
		ln.Close()
		b.StartTimer()
	}
}

// abortConn closes c with a reset, so no TIME_WAIT holds a port.
func abortConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// dialMany dials addr n times from workers goroutines; if any dial
// fails it closes the others and returns the first error.
func dialMany(addr string, n, workers int) ([]net.Conn, error) {
	conns, failed, err := dialBurst(addr, n, workers)
	if failed > 0 {
		for _, c := range conns {
			if c != nil {
				abortConn(c)
			}
		}
		return nil, fmt.Errorf("%d of %d dials failed: %w", failed, n, err)
	}
	return conns, nil
}

func benchSlotIdle(b *testing.B) {
	n := tcpCount(b, 10000, 1)
	for range b.N {
		b.StopTimer()
		nw := tcpLoopback()
		cl, sl := tcpLoop(b, "client"), tcpLoop(b, "server")
		var accepted atomic.Int64
		allIn := make(chan struct{})
		srv := tcpServer(b, nw, sl, n, func(*tcp.Socket) {
			if accepted.Add(1) == int64(n/2) {
				close(allIn)
			}
		})
		port := tcpPort(b, sl, srv)
		b.StartTimer()
		before := inUse()
		clients := make([]*tcp.Socket, 0, n/2)
		allUp := make(chan error, 1)
		up, started := 0, 0
		var start func() error
		start = func() error {
			c, err := tcp.NewSocket(socket.WithTransport(nw.client), socket.WithLoop(cl))
			if err != nil {
				return err
			}
			clients = append(clients, c)
			started++
			if _, err := c.Connected.Connect(func() {
				if up++; up == n/2 {
					allUp <- nil
				} else if started < n/2 {
					if err := start(); err != nil {
						allUp <- err
					}
				}
			}); err != nil {
				return err
			}
			if _, err := c.ErrorOccurred.Connect(func(e transport.SocketError) { trySend(allUp, error(e)) }); err != nil {
				return err
			}
			return c.ConnectToAddress(nw.addr, port)
		}
		tcpOn(b, cl, func() error {
			for range min(64, n/2) {
				if err := start(); err != nil {
					return err
				}
			}
			return nil
		})
		if err := tcpAwait(b, allUp, "all connected"); err != nil {
			b.Fatal(err)
		}
		tcpAwait(b, allIn, "all accepted")
		after := inUse()
		b.StopTimer()
		reportPerSocket(b, before, after, n)
		tcpOn(b, cl, func() error {
			for _, c := range clients {
				_ = c.Abort()
				c.Destroy()
			}
			return nil
		})
		tcpOn(b, sl, func() error { srv.Destroy(); return nil })
		_ = cl.Close()
		_ = sl.Close()
		b.StartTimer()
	}
}

// BenchmarkTCPAcceptBurst: N clients (raw net dialers, 512 at a time) dial
// at once and the server accepts them all; ns/op is the wall time of the
// whole burst, from the first dial to the last accepted connection. N is
// 10,000 or what the descriptor limit allows at two descriptors per
// connection (see tcpCount). raw: a net.Listener accept loop; slotnet: a
// tcp.Server on a loop with SetMaxPendingConnections(N), taking each
// connection with NextPendingConnection in its NewConnection slot.
// "dropped" counts the dials that failed (the target is 0).
func BenchmarkTCPAcceptBurst(b *testing.B) {
	b.Run("raw", func(b *testing.B) {
		benchBurst(b, func(b *testing.B, bs *burstServer, n int) {
			ln := tcpRawListen(b)
			conns := make([]net.Conn, 0, n)
			var wg sync.WaitGroup
			wg.Go(func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					conns = append(conns, c)
					bs.add()
				}
			})
			bs.addr = ln.Addr().String()
			bs.cleanup = func() {
				ln.Close()
				wg.Wait()
				for _, c := range conns {
					c.Close()
				}
			}
		})
	})
	b.Run("slotnet", func(b *testing.B) {
		benchBurst(b, func(b *testing.B, bs *burstServer, n int) {
			sl := core.NewLoop(core.WithName("server"))
			if err := sl.Start(); err != nil {
				b.Fatal(err)
			}
			srv := tcpServer(b, tcpLoopback(), sl, n, func(*tcp.Socket) { bs.add() })
			bs.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(tcpPort(b, sl, srv)))
			bs.cleanup = func() {
				_ = sl.Invoke(srv.Destroy)
				_ = sl.Close()
			}
		})
	})
}

// burstServer is what a burst's server shares with the dialing side.
type burstServer struct {
	addr     string
	accepted atomic.Int64
	note     chan struct{} // coalesced: something was accepted
	cleanup  func()
}

// add counts one accepted connection.
func (bs *burstServer) add() {
	bs.accepted.Add(1)
	select {
	case bs.note <- struct{}{}:
	default:
	}
}

// benchBurst runs one burst per iteration against the server that serve
// starts (it sets addr and cleanup).
func benchBurst(b *testing.B, serve func(*testing.B, *burstServer, int)) {
	n := tcpCount(b, 10000, 2)
	dropped := 0
	for range b.N {
		b.StopTimer()
		bs := &burstServer{note: make(chan struct{}, 1)}
		serve(b, bs, n)
		b.StartTimer()
		conns, failed, _ := dialBurst(bs.addr, n, 512)
		for want := int64(n - failed); bs.accepted.Load() < want; {
			tcpAwait(b, bs.note, "accepts")
		}
		b.StopTimer()
		dropped += failed
		for _, c := range conns {
			if c != nil {
				abortConn(c)
			}
		}
		bs.cleanup()
		b.StartTimer()
	}
	b.ReportMetric(float64(dropped)/float64(b.N), "dropped")
	b.ReportMetric(float64(n), "conns")
}

// dialBurst dials addr n times from workers goroutines and counts the
// failures (returning the first one's error).
func dialBurst(addr string, n, workers int) ([]net.Conn, int, error) {
	conns := make([]net.Conn, n)
	var next, failed atomic.Int64
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				c, err := net.DialTimeout("tcp4", addr, tcpWait)
				if err != nil {
					failed.Add(1)
					once.Do(func() { first = err })
					continue
				}
				conns[i] = c
			}
		})
	}
	wg.Wait()
	return conns, int(failed.Load()), first
}

// trySend sends v if ch has room: a slot on a loop must never block.
func trySend[T any](ch chan T, v T) {
	select {
	case ch <- v:
	default:
	}
}
