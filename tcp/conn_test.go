package tcp_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/nettest"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// connPairOf returns a client socket connected to a server's socket, both
// in blocking mode (no loop), and the server.
func connPairOf(w world, opts ...socket.Option) (cl, peer *tcp.Socket, srv *tcp.Server, err error) {
	srv, err = tcp.NewServer(append([]socket.Option{socket.WithTransport(w.server)}, opts...)...)
	if err != nil {
		return nil, nil, nil, err
	}
	defer func() {
		if err != nil {
			srv.Destroy()
		}
	}()
	if err = srv.Listen(transport.HostAddressFrom(w.serverAddr), 0); err != nil {
		return nil, nil, nil, err
	}
	if cl, err = tcp.NewSocket(append([]socket.Option{socket.WithTransport(w.client)}, opts...)...); err != nil {
		return nil, nil, nil, err
	}
	if err = cl.ConnectToAddress(w.serverAddr, srv.ServerPort()); err != nil {
		return nil, nil, nil, err
	}
	if err = cl.WaitForConnected(10 * time.Second); err != nil {
		return nil, nil, nil, err
	}
	if err = srv.WaitForNewConnection(10 * time.Second); err != nil {
		return nil, nil, nil, err
	}
	return cl, srv.NextPendingConnection(), srv, nil
}

// connPipe is a nettest.MakePipe: a client and the server's socket, both
// viewed through Conn (each gets a private loop).
func connPipe(w world) nettest.MakePipe {
	return func() (c1, c2 net.Conn, stop func(), err error) {
		cl, peer, srv, err := connPairOf(w)
		if err != nil {
			return nil, nil, nil, err
		}
		if c1, err = cl.Conn(); err != nil {
			srv.Destroy()
			return nil, nil, nil, err
		}
		if c2, err = peer.Conn(); err != nil {
			_ = c1.Close()
			srv.Destroy()
			return nil, nil, nil, err
		}
		stop = func() {
			_ = c1.Close()
			_ = c2.Close()
			srv.Destroy()
		}
		return c1, c2, stop, nil
	}
}

// nettest calls t.Run, which a synctest bubble forbids, so the in-memory
// network runs it in real time (nettest's own timings are real-time
// sleeps of 100 ms anyway).
func TestConnNettest(t *testing.T) {
	t.Run("os", func(t *testing.T) { nettest.TestConn(t, connPipe(osWorld(t))) })
	t.Run("mem", func(t *testing.T) { nettest.TestConn(t, connPipe(memWorld(t))) })
}

// The same over sockets that live on a loop of the test's: the view calls
// into that loop instead of starting its own.
func TestConnNettestOnLoop(t *testing.T) {
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		w := osWorld(t)
		l := core.NewLoop(core.WithName("conn-test"))
		if err := l.Start(); err != nil {
			return nil, nil, nil, err
		}
		var cl, peer *tcp.Socket
		var srv *tcp.Server
		if ierr := l.Invoke(func() { cl, peer, srv, err = connPairOf(w, socket.WithLoop(l)) }); ierr != nil {
			err = ierr
		}
		if err == nil {
			if c1, err = cl.Conn(); err == nil {
				c2, err = peer.Conn()
			}
		}
		stop = func() {
			if c1 != nil {
				_ = c1.Close()
			}
			if c2 != nil {
				_ = c2.Close()
			}
			if srv != nil {
				_ = l.Invoke(srv.Destroy)
			}
			_ = l.Close()
		}
		if err != nil {
			stop()
			return nil, nil, nil, err
		}
		return c1, c2, stop, nil
	})
}

// connViews returns two views for a focused test, closed at its end.
func connViews(t *testing.T, w world) (c1, c2 net.Conn, cl, peer *tcp.Socket) {
	t.Helper()
	cl, peer, srv, err := connPairOf(w)
	require.NoError(t, err)
	t.Cleanup(srv.Destroy)
	c1, err = cl.Conn()
	require.NoError(t, err)
	c2, err = peer.Conn()
	require.NoError(t, err)
	t.Cleanup(func() { _ = c1.Close(); _ = c2.Close() })
	return c1, c2, cl, peer
}

func assertTimeout(t *testing.T, err error) {
	t.Helper()
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout(), "Timeout() of %v", err)
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.ErrorIs(t, err, transport.SocketTimeoutError)
}

// A deadline set while Read and Write are blocked takes effect on them;
// one moved further while blocked holds them until the new time.
func TestConnDeadlineWhileBlocked(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c1, _, _, _ := connViews(t, w)
		const d = 50 * time.Millisecond

		start := time.Now()
		require.NoError(t, c1.SetReadDeadline(start.Add(d)))
		done := make(chan error, 1)
		go func() {
			_, err := c1.Read(make([]byte, 10))
			done <- err
		}()
		// Moved further while the Read is blocked (maybe before it began;
		// either way the Read must wait for the new deadline).
		require.NoError(t, c1.SetReadDeadline(start.Add(4*d)))
		err := <-done
		assertTimeout(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 4*d)

		// Write blocks once the peer (which never reads) and the transport
		// are full; a past deadline set then releases it.
		require.NoError(t, c1.SetReadDeadline(time.Time{}))
		go func() {
			buf := make([]byte, 64<<10)
			for {
				if _, err := c1.Write(buf); err != nil {
					done <- err
					return
				}
			}
		}()
		select {
		case err := <-done:
			t.Fatalf("Write returned before the deadline was set: %v", err)
		case <-time.After(d):
		}
		require.NoError(t, c1.SetWriteDeadline(time.Unix(1, 0)))
		assertTimeout(t, <-done)

		// A past deadline fails at once without writing or reading.
		n, err := c1.Write([]byte("x"))
		assert.Zero(t, n)
		assertTimeout(t, err)
		require.NoError(t, c1.SetReadDeadline(time.Unix(1, 0)))
		n, err = c1.Read(make([]byte, 1))
		assert.Zero(t, n)
		assertTimeout(t, err)
	})
}

// Close unblocks a Read, and a Write waiting for a peer that does not
// read; they and a
// second Close return net.ErrClosed.
func TestConnCloseUnblocks(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c1, _, _, _ := connViews(t, w)
		rd, wr := make(chan error, 1), make(chan error, 1)
		go func() {
			_, err := c1.Read(make([]byte, 10))
			rd <- err
		}()
		go func() {
			buf := make([]byte, 64<<10)
			for {
				if _, err := c1.Write(buf); err != nil {
					wr <- err
					return
				}
			}
		}()
		select {
		case err := <-rd:
			t.Fatalf("Read returned early: %v", err)
		case err := <-wr:
			t.Fatalf("Write returned early: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		require.NoError(t, c1.Close())
		assert.ErrorIs(t, <-rd, net.ErrClosed)
		assert.ErrorIs(t, <-wr, net.ErrClosed)

		_, err := c1.Read(make([]byte, 1))
		assert.ErrorIs(t, err, net.ErrClosed)
		_, err = c1.Write([]byte("x"))
		assert.ErrorIs(t, err, net.ErrClosed)
		assert.ErrorIs(t, c1.Close(), net.ErrClosed)
		assert.ErrorIs(t, c1.SetDeadline(time.Now()), net.ErrClosed)
	})
}

// The peer's close: the data first, then io.EOF (plain, as io.Copy wants
// it) for every Read; Write reports the closed connection. The private
// loop ends and the socket is back in blocking mode, Unconnected.
func TestConnEOF(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c1, c2, cl, _ := connViews(t, w)
		_, err := c2.Write([]byte("hello"))
		require.NoError(t, err)
		require.NoError(t, c2.Close())

		got, err := io.ReadAll(c1)
		require.NoError(t, err)
		assert.Equal(t, "hello", string(got))
		n, err := c1.Read(make([]byte, 8))
		assert.Zero(t, n)
		assert.Equal(t, io.EOF, err)

		_, err = c1.Write([]byte("late"))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)

		// The loop ends by itself: wait for the socket to leave it.
		require.NoError(t, waitBlockingMode(cl))
		assert.Equal(t, socket.UnconnectedState, cl.State())
		assert.Equal(t, io.EOF, func() error { _, err := c1.Read(make([]byte, 1)); return err }())
		require.NoError(t, c1.Close())
	})
}

// waitBlockingMode waits until the view has handed the socket back (no
// loop): the wait runs on the socket's loop and ends when the socket leaves
// it.
func waitBlockingMode(s *tcp.Socket) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for s.Loop() != nil {
		err := s.WaitUntil(ctx, func() bool { return s.Loop() == nil })
		if err != nil && !errors.Is(err, core.ErrLoopClosed) {
			return err
		}
	}
	return nil
}

// 1 MiB each way at once, intact.
func TestConnIntegrity(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c1, c2, _, _ := connViews(t, w)
		rng := rand.New(rand.NewPCG(1, 2))
		a, b := make([]byte, 1<<20), make([]byte, 1<<20)
		for i := range a {
			a[i], b[i] = byte(rng.Uint32()), byte(rng.Uint32())
		}
		var wg sync.WaitGroup
		var errs [4]error
		wg.Add(4)
		gotA, gotB := make([]byte, len(a)), make([]byte, len(b))
		go func() { defer wg.Done(); _, errs[0] = c1.Write(a) }()
		go func() { defer wg.Done(); _, errs[1] = c2.Write(b) }()
		go func() { defer wg.Done(); _, errs[2] = io.ReadFull(c2, gotA) }()
		go func() { defer wg.Done(); _, errs[3] = io.ReadFull(c1, gotB) }()
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "step %d", i)
		}
		assert.True(t, bytes.Equal(a, gotA), "c1 → c2 differs")
		assert.True(t, bytes.Equal(b, gotB), "c2 → c1 differs")
	})
}

// Destroying the socket unblocks the view and ends the private loop.
func TestConnDestroy(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		c1, _, cl, _ := connViews(t, w)
		rd := make(chan error, 1)
		go func() {
			_, err := c1.Read(make([]byte, 10))
			rd <- err
		}()
		l := cl.Loop()
		require.NotNil(t, l)
		require.NoError(t, l.Invoke(cl.Destroy))
		err := <-rd
		assert.ErrorIs(t, err, net.ErrClosed)
		assert.True(t, l.IsClosed())
		_, err = c1.Write([]byte("x"))
		assert.ErrorIs(t, err, net.ErrClosed)
	})
}

// A peer's reset reads like its close (the engine reports Qt's
// RemoteHostClosedError for both): the data, then io.EOF.
func TestConnPeerAbort(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		cl, peer, srv, err := connPairOf(w)
		require.NoError(t, err)
		defer srv.Destroy()
		c, err := cl.Conn()
		require.NoError(t, err)
		defer c.Close()
		_, err = peer.Write([]byte("bye"))
		require.NoError(t, err)
		require.NoError(t, peer.WaitForBytesWritten(5*time.Second))
		require.NoError(t, peer.Abort())
		got, err := io.ReadAll(c)
		assert.NoError(t, err)
		assert.Equal(t, "bye", string(got))
	})
}

// Conn refuses a socket that is not connected, and leaves it as it was.
func TestConnNotConnected(t *testing.T) {
	s, err := tcp.NewSocket(socket.WithTransport(memWorld(t).client))
	require.NoError(t, err)
	defer s.Destroy()
	c, err := s.Conn()
	assert.Nil(t, c)
	assert.ErrorIs(t, err, transport.OperationError)
	assert.Nil(t, s.Loop())
	assert.Zero(t, s.ReadBufferSize())

	s.Destroy()
	_, err = s.Conn()
	assert.ErrorIs(t, err, core.ErrDestroyed)
}

// A server on a loop hands each connection, as a net.Conn, to a goroutine
// (Conn called in the NewConnection slot runs right there); the client is
// a socket without a loop, viewed as a net.Conn too.
func ExampleSocket_Conn() {
	n := mem.New()
	serverHost := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	clientHost := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})

	loop := core.NewLoop()
	_ = loop.Start()
	defer loop.Close()
	var srv *tcp.Server
	var echoes sync.WaitGroup
	_ = loop.Invoke(func() {
		srv, _ = tcp.NewServer(socket.WithTransport(serverHost), socket.WithLoop(loop))
		_ = srv.Listen(transport.HostAddressFrom(netip.MustParseAddr("10.0.0.2")), 7)
		_, _ = srv.NewConnection.Connect(func() {
			c, err := srv.NextPendingConnection().Conn()
			if err != nil {
				return
			}
			echoes.Go(func() {
				defer c.Close()
				_, _ = io.Copy(c, c) // echo until the client closes
			})
		})
	})
	defer func() { _ = loop.Invoke(srv.Destroy) }()

	s, _ := tcp.NewSocket(socket.WithTransport(clientHost))
	_ = s.ConnectToHost("10.0.0.2", 7)
	if err := s.WaitForConnected(5 * time.Second); err != nil {
		fmt.Println(err)
		return
	}
	c, _ := s.Conn()
	fmt.Fprintf(c, "hello, %s\n", "slotnet")
	line, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Print(line)
	_ = c.Close()
	echoes.Wait()
	// Output: hello, slotnet
}

// Benchmarks: the view beside raw net.TCPConn on loopback (a 64-byte echo
// round trip; 64 KiB writes streamed one way).
func BenchmarkConnEcho(b *testing.B) {
	for _, kind := range []string{"raw", "view"} {
		b.Run(kind, func(b *testing.B) {
			c1, c2, stop := benchPair(b, kind)
			defer stop()
			go func() { _, _ = io.Copy(c2, c2) }()
			buf := make([]byte, 64)
			b.ResetTimer()
			for range b.N {
				if _, err := c1.Write(buf); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c1, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkConnBulk(b *testing.B) {
	for _, kind := range []string{"raw", "view"} {
		b.Run(kind, func(b *testing.B) {
			c1, c2, stop := benchPair(b, kind)
			defer stop()
			done := make(chan struct{})
			go func() { _, _ = io.CopyBuffer(struct{ io.Writer }{io.Discard}, c2, make([]byte, 64<<10)); close(done) }()
			buf := make([]byte, 64<<10)
			b.SetBytes(int64(len(buf)))
			b.ResetTimer()
			for range b.N {
				if _, err := c1.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
			_ = c1.Close()
			<-done
		})
	}
}

func benchPair(b *testing.B, kind string) (c1, c2 net.Conn, stop func()) {
	if kind == "view" {
		c1, c2, stop, err := connPipe(osWorld(b))()
		if err != nil {
			b.Fatal(err)
		}
		return c1, c2, stop
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	acc := make(chan net.Conn, 1)
	go func() { c, _ := ln.Accept(); acc <- c }()
	c1, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	c2 = <-acc
	return c1, c2, func() { _ = c1.Close(); _ = c2.Close(); _ = ln.Close() }
}

// A socket on a loop of the test's: Conn from another goroutine, the view
// calls into that loop; Close leaves the socket there, unconnected, with
// none of the view's slots.
func TestConnOnUserLoop(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		l := startLoop(t, "user")
		var cl, peer *tcp.Socket
		var srv *tcp.Server
		var err error
		on(t, l, func() { cl, peer, srv, err = connPairOf(w, socket.WithLoop(l)) })
		require.NoError(t, err)
		defer on(t, l, srv.Destroy)
		var slots int
		on(t, l, func() { slots = cl.StateChanged.Receivers() + cl.ErrorOccurred.Receivers() })

		c, err := cl.Conn()
		require.NoError(t, err)
		p, err := peer.Conn()
		require.NoError(t, err)
		_, err = c.Write([]byte("ping"))
		require.NoError(t, err)
		buf := make([]byte, 4)
		_, err = io.ReadFull(p, buf)
		require.NoError(t, err)
		assert.Equal(t, "ping", string(buf))

		require.NoError(t, c.Close())
		require.NoError(t, p.Close())
		assert.Same(t, l, cl.Loop())
		require.NoError(t, cl.WaitUntil(context.Background(), func() bool { return cl.State() == socket.UnconnectedState }))
		on(t, l, func() {
			assert.Equal(t, slots, cl.StateChanged.Receivers()+cl.ErrorOccurred.Receivers())
			assert.Equal(t, socket.NotOpen, cl.OpenMode())
		})
	})
}

// Bytes a Write has handed to the socket still go when its deadline passes
// and when Close follows: n is len(b) with the timeout, and the peer reads
// every byte, then io.EOF.
func TestConnTimedOutWriteStillSent(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		cl, peer, srv, err := connPairOf(w)
		require.NoError(t, err)
		defer srv.Destroy()
		// Small buffers all the way, so that 1 MiB cannot fit in them.
		require.NoError(t, cl.SetSocketOption(transport.SendBufferSizeSocketOption, 32<<10))
		require.NoError(t, peer.SetSocketOption(transport.ReceiveBufferSizeSocketOption, 32<<10))
		require.NoError(t, peer.SetReadBufferSize(64<<10))
		c1, err := cl.Conn()
		require.NoError(t, err)
		c2, err := peer.Conn()
		require.NoError(t, err)
		defer c2.Close()

		data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
		require.NoError(t, c1.SetWriteDeadline(time.Now().Add(20*time.Millisecond)))
		n, err := c1.Write(data)
		assertTimeout(t, err)
		assert.Equal(t, len(data), n)
		require.NoError(t, c1.Close())
		var got bytes.Buffer
		_, err = io.CopyBuffer(&got, struct{ io.Reader }{c2}, make([]byte, 64<<10))
		require.NoError(t, err)
		assert.Equal(t, len(data), got.Len())
		assert.True(t, bytes.Equal(data, got.Bytes()), "the data differs")
	})
}
