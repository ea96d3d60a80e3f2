package tcp_test

import (
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// Load tests (issue 9, "Done when" → Load): many concurrent echo clients
// over both transports. flood_test.go has the flooding peer and flow
// control.
//
//	go test -race -count=1 -run 'Load|Flood|FlowControl' ./tcp/
//
// Under -race the loads are scaled down (see loopbackLoad and memLoad) so
// that they stay well under a minute on a busy 2-core machine; the full
// sizes run without -race.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const (
	echoSize    = 64 << 10 // each load client's payload
	clientLoops = 4        // the load clients are spread over these loops
)

// loadSize is the shape of an echo load run.
type loadSize struct {
	clients int           // connected at the same time
	wave    int           // connection attempts started together
	window  int           // clients echoing at the same time
	limit   time.Duration // for the whole run
}

// The OS-loopback load: 1,000 clients in one burst (the system's backlog,
// somaxconn, takes it), all echoing at once. Under -race 500: 1,000 took
// 31 s there on a 2-core machine at load average 30, too close to the
// budget.
func loopbackLoad() loadSize {
	if raceEnabled {
		return loadSize{clients: 500, wave: 500, window: 500, limit: 45 * time.Second}
	}
	return loadSize{clients: 1000, wave: 1000, window: 1000, limit: 45 * time.Second}
}

// The in-memory load: 10,000 clients connected at once, 1,000 under -race
// (the full run costs about 10 s of CPU without -race, several times that
// with it). The in-memory listener's backlog is 128 (mem.DefaultBacklog)
// and it refuses a connection beyond it, so they connect in waves of 100,
// each accepted before the next. At most 1,000 echo at a time: 10,000
// payloads in flight at once would only measure page faults.
func memLoad() loadSize {
	if raceEnabled {
		return loadSize{clients: 1000, wave: 100, window: 1000, limit: 10 * time.Minute}
	}
	return loadSize{clients: 10000, wave: 100, window: 1000, limit: 10 * time.Minute}
}

func TestLoadLoopback(t *testing.T) {
	size := loopbackLoad()
	needFDs(t, uint64(2*size.clients+100)) // both ends of every connection live in this process
	runEchoLoad(t, osWorld(t), size)
}

func TestLoadMem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		runEchoLoad(t, memWorld(t), memLoad()) // in virtual time: the limit costs nothing
	})
}

// failures collects what went wrong on the loops, reported once at the end
// (a thousand clients failing alike would otherwise flood the log).
type failures struct {
	mu    sync.Mutex
	count int
	first []string
}

func (f *failures) add(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.count++
	if len(f.first) < 10 {
		f.first = append(f.first, fmt.Sprintf(format, args...))
	}
}

func (f *failures) check(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count > 0 {
		t.Errorf("%d failures, the first ones:\n%v", f.count, f.first)
	}
}

// countdown closes done when Add has been called n times, and pokes moved
// on every Add.
type countdown struct {
	left  atomic.Int64
	done  chan struct{}
	moved chan struct{}
}

func newCountdown(n int) *countdown {
	c := &countdown{done: make(chan struct{}), moved: make(chan struct{}, 1)}
	c.left.Store(int64(n))
	return c
}

func (c *countdown) Add() {
	if c.left.Add(-1) == 0 {
		close(c.done)
	}
	select {
	case c.moved <- struct{}{}:
	default:
	}
}

// down waits until at most left remain or timeout fires (false).
func (c *countdown) down(left int64, timeout <-chan time.Time) bool {
	for c.left.Load() > left {
		select {
		case <-c.moved:
		case <-timeout:
			return false
		}
	}
	return true
}

func (c *countdown) String() string { return fmt.Sprint(c.left.Load(), " left") }

// loadClient is one echo client; its fields belong to its loop.
type loadClient struct {
	s    *tcp.Socket
	id   int
	want uint32 // checksum of what it sent
	sum  uint32 // checksum of what came back
	got  int
	then *loadClient
}

// echoLoad is one run of runEchoLoad: the counters the phases wait on.
type echoLoad struct {
	n          int
	window     int        // clients echoing at a time, per loop
	connected  *countdown // clients connected
	accepted   *countdown // server sockets made
	echoed     *countdown // clients that got their payload back intact
	clientDone *countdown // clients disconnected
	serverDone *countdown // server sockets disconnected
	fail       failures
}

// runEchoLoad connects size.clients clients (spread over clientLoops
// loops, in waves of size.wave connection attempts) to a server on its own
// loop; once all are connected at the same time, every client sends
// echoSize random bytes (size.window at a time), the server echoes them
// and the client checks the checksum of what came back, then disconnects.
func runEchoLoad(t *testing.T, w world, size loadSize) {
	n, wave, limit := size.clients, size.wave, size.limit
	ld := &echoLoad{n: n, window: max(size.window/clientLoops, 1), connected: newCountdown(n), accepted: newCountdown(n), echoed: newCountdown(n),
		clientDone: newCountdown(n), serverDone: newCountdown(n)}
	deadline := time.Now().Add(limit)
	start := time.Now()

	sl := startLoop(t, "server")
	srv := ld.startServer(t, w, sl)
	loops := make([]*core.Loop, clientLoops)
	clients := make([][]*loadClient, clientLoops)
	for i := range loops {
		loops[i] = startLoop(t, fmt.Sprint("client", i))
	}
	// Registered after the loops, so it runs before they close.
	t.Cleanup(func() {
		for i, l := range loops {
			_ = l.Invoke(func() {
				for _, c := range clients[i] {
					c.s.Destroy()
				}
			})
		}
		_ = sl.Invoke(srv.Destroy)
	})

	for i, l := range loops {
		var err error
		on(t, l, func() { clients[i], err = ld.makeClients(w, l, i) })
		require.NoError(t, err)
	}
	host, port := w.serverAddr.String(), srv.ServerPort()
	for first := 0; first < n; first += wave {
		last := min(first+wave, n)
		for i, l := range loops {
			var err error
			on(t, l, func() { err = connectClients(clients[i], first, last, host, port) })
			require.NoError(t, err)
		}
		ld.await(t, deadline, "connect", ld.accepted, int64(n-last))
	}
	ld.await(t, deadline, "connect", ld.connected, 0)
	connectTime := time.Since(start)

	for i, l := range loops {
		require.NoError(t, l.Post(func() { ld.send(clients[i]) }))
	}
	ld.await(t, deadline, "echo", ld.echoed, 0)
	ld.await(t, deadline, "echo", ld.clientDone, 0)
	ld.await(t, deadline, "echo", ld.serverDone, 0)
	t.Logf("%s: %d clients over %d loops: all connected after %v, all echoed %d KiB (%d at a time) and disconnected after %v",
		w.name, n, clientLoops, connectTime.Round(time.Millisecond), echoSize>>10, ld.window*clientLoops,
		time.Since(start).Round(time.Millisecond))
	if w.name == "mem" {
		t.Log("(the in-memory run's times are synctest's virtual time)")
	}
	ld.fail.check(t)
}

// await waits until at most left of c remain, failing at the deadline
// with what is still missing.
func (ld *echoLoad) await(t *testing.T, deadline time.Time, phase string, c *countdown, left int64) {
	t.Helper()
	if !c.down(left, time.After(time.Until(deadline))) {
		ld.fail.check(t)
		t.Fatalf("%s phase timed out: connected %v, accepted %v, echoed %v, clients done %v, server sockets done %v",
			phase, ld.connected, ld.accepted, ld.echoed, ld.clientDone, ld.serverDone)
	}
}

// startServer listens on l with an echo for every connection.
func (ld *echoLoad) startServer(t *testing.T, w world, l *core.Loop) *tcp.Server {
	t.Helper()
	var srv *tcp.Server
	var err error
	on(t, l, func() {
		srv, err = tcp.NewServer(socket.WithTransport(w.server), socket.WithLoop(l))
		if err != nil {
			return
		}
		if err = srv.Listen(transport.HostAddressFrom(w.serverAddr), 0); err != nil {
			return
		}
		_, err = srv.NewConnection.Connect(func() { ld.serve(srv.NextPendingConnection()) })
	})
	require.NoError(t, err)
	return srv
}

// serve echoes on one accepted socket (on the server's loop).
func (ld *echoLoad) serve(p *tcp.Socket) {
	if p == nil {
		ld.fail.add("NewConnection without a pending connection")
		return
	}
	ld.accepted.Add()
	_, _ = p.ReadyRead.Connect(func() {
		if _, err := p.Write(p.ReadAll()); err != nil {
			ld.fail.add("server write: %v", err)
		}
	})
	_, _ = p.ErrorOccurred.Connect(func(code transport.SocketError) {
		if code != transport.RemoteHostClosedError {
			ld.fail.add("server socket error %v: %s", code, p.ErrorString())
		}
	})
	_, _ = p.Disconnected.Connect(func() {
		ld.serverDone.Add()
		p.DeleteLater()
	})
}

// makeClients makes this loop's share of the clients (on loop l).
func (ld *echoLoad) makeClients(w world, l *core.Loop, loopIndex int) ([]*loadClient, error) {
	var cs []*loadClient
	for id := loopIndex; id < ld.n; id += clientLoops {
		s, err := tcp.NewSocket(socket.WithTransport(w.client), socket.WithLoop(l))
		if err != nil {
			return cs, err
		}
		c := &loadClient{s: s, id: id}
		cs = append(cs, c)
		if err := ld.wire(c); err != nil {
			return cs, err
		}
	}
	return cs, nil
}

// connectClients starts the connections of the clients in cs whose id is
// in [first, last) (on their loop).
func connectClients(cs []*loadClient, first, last int, host string, port int) error {
	for _, c := range cs {
		if c.id < first || c.id >= last {
			continue
		}
		if err := c.s.ConnectToHost(host, port); err != nil {
			return err
		}
	}
	return nil
}

func (ld *echoLoad) wire(c *loadClient) error {
	s := c.s
	_, err := s.Connected.Connect(ld.connected.Add)
	if err == nil {
		_, err = s.ReadyRead.Connect(func() { ld.received(c) })
	}
	if err == nil {
		_, err = s.ErrorOccurred.Connect(func(code transport.SocketError) {
			ld.fail.add("client %d: error %v: %s", c.id, code, s.ErrorString())
		})
	}
	if err == nil {
		_, err = s.Disconnected.Connect(func() {
			if c.got != echoSize {
				ld.fail.add("client %d: disconnected after %d of %d bytes", c.id, c.got, echoSize)
			}
			ld.clientDone.Add()
		})
	}
	return err
}

// send writes each client's payload: echoSize bytes from a generator seeded
// with the client's id (one buffer per loop; Write copies).
func (ld *echoLoad) send(cs []*loadClient) {
	buf := make([]byte, echoSize)
	for _, c := range cs[:min(len(cs), ld.window)] {
		ld.sendOne(c, buf)
	}
	for i, c := range cs {
		if i+ld.window < len(cs) {
			c.then = cs[i+ld.window]
		}
	}
}

// sendOne writes c's payload: echoSize bytes from a generator seeded with
// the client's id (buf is scratch space; Write copies).
func (ld *echoLoad) sendOne(c *loadClient, buf []byte) {
	_, _ = rand.NewChaCha8(seed(c.id)).Read(buf)
	c.want = crc32.Checksum(buf, castagnoli)
	if n, err := c.s.Write(buf); err != nil || n != len(buf) {
		ld.fail.add("client %d: write %d: %v", c.id, n, err)
	}
}

func seed(id int) (s [32]byte) {
	s[0], s[1], s[2] = byte(id), byte(id>>8), byte(id>>16)
	return s
}

// received checks what came back on client c.
func (ld *echoLoad) received(c *loadClient) {
	b := c.s.ReadAll()
	c.got += len(b)
	c.sum = crc32.Update(c.sum, castagnoli, b)
	switch {
	case c.got > echoSize:
		ld.fail.add("client %d: %d bytes back, sent %d", c.id, c.got, echoSize)
	case c.got == echoSize:
		if c.sum != c.want {
			ld.fail.add("client %d: checksum %08x back, sent %08x", c.id, c.sum, c.want)
		}
		ld.echoed.Add()
		if c.then != nil {
			ld.sendOne(c.then, make([]byte, echoSize))
		}
		if err := c.s.DisconnectFromHost(); err != nil {
			ld.fail.add("client %d: disconnect: %v", c.id, err)
		}
	}
}
