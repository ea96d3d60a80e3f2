package bench

import (
	"flag"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

// tcpWait bounds every wait in the TCP benchmarks: a benchmark that hangs
// fails instead.
const tcpWait = 30 * time.Second

// tcpNet is where a slotnet socket benchmark runs: the client's and the
// server's transports and the server's address.
type tcpNet struct {
	client, server transport.Transport
	addr           netip.Addr
}

func tcpLoopback() tcpNet {
	o := netsock.New()
	return tcpNet{client: o, server: o, addr: netip.MustParseAddr("127.0.0.1")}
}

func tcpMemNet() tcpNet {
	n := mem.New(mem.WithSeed(1))
	s := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	c := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	return tcpNet{client: c, server: s, addr: netip.MustParseAddr("10.0.0.2")}
}

// tcpLoop starts a loop that the benchmark closes when it ends.
func tcpLoop(b *testing.B, name string) *core.Loop {
	b.Helper()
	l := core.NewLoop(core.WithName(name))
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = l.Close() })
	return l
}

// tcpOn runs fn on l and waits for it; fn reports failure by returning an
// error (b.Fatal must not be called off the benchmark's goroutine).
func tcpOn(b *testing.B, l *core.Loop, fn func() error) {
	b.Helper()
	var err error
	if ierr := l.Invoke(func() { err = fn() }); ierr != nil {
		b.Fatal(ierr)
	}
	if err != nil {
		b.Fatal(err)
	}
}

// tcpAwait waits for ch or fails the benchmark after tcpWait.
func tcpAwait[T any](b *testing.B, ch <-chan T, what string) T {
	b.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(tcpWait):
		b.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// lowDelay sets TCP_NODELAY on a slotnet socket, as raw Go sets it on every
// net.TCPConn: slotnet (like Qt) leaves it off by default.
func lowDelay(s *tcp.Socket) error {
	return s.SetSocketOption(transport.LowDelayOption, 1)
}

// tcpServer listens on nw's server side on loop sl; each accepted socket,
// with LowDelay set, goes to onConn on sl. Destroying the server (on sl)
// destroys the sockets it accepted.
func tcpServer(b *testing.B, nw tcpNet, sl *core.Loop, maxPending int, onConn func(*tcp.Socket)) *tcp.Server {
	b.Helper()
	var srv *tcp.Server
	tcpOn(b, sl, func() error {
		var err error
		srv, err = tcp.NewServer(socket.WithTransport(nw.server), socket.WithLoop(sl))
		if err != nil {
			return err
		}
		srv.SetMaxPendingConnections(maxPending)
		if err := srv.Listen(transport.HostAddressFrom(nw.addr), 0); err != nil {
			return err
		}
		_, err = srv.NewConnection.Connect(func() {
			for p := srv.NextPendingConnection(); p != nil; p = srv.NextPendingConnection() {
				_ = lowDelay(p)
				onConn(p)
			}
		})
		return err
	})
	b.Cleanup(func() { _ = sl.Invoke(srv.Destroy) })
	return srv
}

// tcpClient makes a socket with LowDelay on nw's client side, on loop cl
// (nil: blocking mode), and connects it to port, waiting until connected.
func tcpClient(b *testing.B, nw tcpNet, cl *core.Loop, port int) *tcp.Socket {
	b.Helper()
	opts := []socket.Option{socket.WithTransport(nw.client)}
	if cl == nil {
		c, err := tcp.NewSocket(opts...)
		if err == nil {
			err = lowDelay(c)
		}
		if err == nil {
			err = c.ConnectToAddress(nw.addr, port)
		}
		if err == nil {
			err = c.WaitForConnected(tcpWait)
		}
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(c.Destroy)
		return c
	}
	var c *tcp.Socket
	up := make(chan struct{})
	tcpOn(b, cl, func() error {
		var err error
		if c, err = tcp.NewSocket(append(opts, socket.WithLoop(cl))...); err != nil {
			return err
		}
		if err = lowDelay(c); err != nil {
			return err
		}
		if _, err = c.Connected.Connect(func() { close(up) }); err != nil {
			return err
		}
		return c.ConnectToAddress(nw.addr, port)
	})
	b.Cleanup(func() { _ = cl.Invoke(c.Destroy) })
	tcpAwait(b, up, "connected")
	return c
}

// tcpSlotPair connects a slotnet client on cl to a slotnet server on sl and
// returns the client and the accepted socket.
func tcpSlotPair(b *testing.B, nw tcpNet, cl, sl *core.Loop) (c, p *tcp.Socket) {
	b.Helper()
	accepted := make(chan *tcp.Socket, 1)
	srv := tcpServer(b, nw, sl, 1, func(p *tcp.Socket) { accepted <- p })
	c = tcpClient(b, nw, cl, tcpPort(b, sl, srv))
	return c, tcpAwait(b, accepted, "accepted")
}

func tcpPort(b *testing.B, sl *core.Loop, srv *tcp.Server) int {
	var port int
	tcpOn(b, sl, func() error { port = srv.ServerPort(); return nil })
	return port
}

// tcpRawListen listens on loopback with package net.
func tcpRawListen(b *testing.B) *net.TCPListener {
	b.Helper()
	ln, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	return ln
}

// latencies collects one duration per iteration and reports p50 and p99.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	b.ReportMetric(float64(s[len(s)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(s[min(len(s)-1, len(s)*99/100)].Nanoseconds()), "p99-ns")
}

// cpuMeter reports the process's CPU time (user + system, every goroutine)
// per GB moved between start and stop, as "cpu-ms/GB".
type cpuMeter struct{ t0 time.Duration }

func (m *cpuMeter) start() { m.t0 = processCPU() }

func (m *cpuMeter) report(b *testing.B, bytes int64) {
	cpu := processCPU() - m.t0
	if cpu <= 0 || bytes <= 0 {
		return
	}
	b.ReportMetric(float64(cpu)/1e6/(float64(bytes)/1e9), "cpu-ms/GB")
}

// tcpCount is how many sockets a many-socket benchmark makes: want, or what
// the descriptor limit allows at fdsPer descriptors each (the soft limit is
// raised to the hard one first). A one-shot run (-benchtime 1x, as
// `make bench-smoke`) or -short makes 1,000; SLOTNET_BENCH_SOCKETS
// overrides both.
func tcpCount(b *testing.B, want, fdsPer int) int {
	b.Helper()
	if v := os.Getenv("SLOTNET_BENCH_SOCKETS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 {
			b.Fatalf("SLOTNET_BENCH_SOCKETS=%q: want a count ≥ 2", v)
		}
		want = n
	} else if f := flag.Lookup("test.benchtime"); testing.Short() || (f != nil && f.Value.String() == "1x") {
		want = 1000
	}
	if limit := raiseFDLimit(); limit > 0 {
		want = min(want, (limit-256)/fdsPer)
	}
	return want &^ 1 // even: pairs
}
