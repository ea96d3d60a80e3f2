package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/chat"
	"github.com/slotnet/slotnet/examples/internal/fortune"
	"github.com/slotnet/slotnet/signal"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

func main() {
	tr := flag.String("transport", "mem", "mem (in-memory network, deterministic) or os (loopback)")
	flag.Parse()
	os.Exit(run(os.Stdout, *tr))
}

// timeout bounds each step: a step that does not happen fails the demo
// instead of hanging it.
const timeout = 10 * time.Second

// side is the trace of one side: the lines its slots printed, in order.
type side struct {
	title string
	mu    sync.Mutex
	lines []string
	grew  chan struct{} // closed and replaced on each new line
}

func newSide(title string) *side { return &side{title: title, grew: make(chan struct{})} }

// add appends a line prefixed with the loop running the caller.
func (s *side) add(format string, args ...any) {
	where := "no loop"
	if l := core.CurrentLoop(); l != nil {
		where = l.Name()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = append(s.lines, fmt.Sprintf("[%s] %s", where, fmt.Sprintf(format, args...)))
	close(s.grew)
	s.grew = make(chan struct{})
}

// wait waits until a line ending in suffix is in the trace.
func (s *side) wait(suffix string) error {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		for _, l := range s.lines {
			if strings.HasSuffix(l, suffix) {
				s.mu.Unlock()
				return nil
			}
		}
		grew := s.grew
		s.mu.Unlock()
		select {
		case <-grew:
		case <-deadline:
			return fmt.Errorf("%s: no %q after %v", s.title, suffix, timeout)
		}
	}
}

// on0 and on trace the emissions of a signal as "actor.name [arg]".
func on0(s *side, actor, name string, sig *signal.Signal0) {
	_, _ = sig.Connect(func() { s.add("%s.%s", actor, name) })
}

func on[T any](s *side, actor, name string, sig *signal.Signal[T]) {
	_, _ = sig.Connect(func(v T) { s.add("%s.%s %v", actor, name, v) })
}

// watchSocket traces the signals of a socket, all but BytesWritten: when
// a transport reports a write done is a matter of timing (a client's
// "hello" may be reported written before or after the reply is read, or
// with the next write), and the trace must be the same on every run.
func watchSocket(s *side, actor string, e *socket.Engine) {
	on0(s, actor, "HostFound", &e.HostFound)
	on0(s, actor, "Connected", &e.Connected)
	on(s, actor, "StateChanged", &e.StateChanged)
	on0(s, actor, "ReadyRead", &e.ReadyRead)
	on0(s, actor, "ReadChannelFinished", &e.ReadChannelFinished)
	on0(s, actor, "AboutToClose", &e.AboutToClose)
	on0(s, actor, "Disconnected", &e.Disconnected)
	on(s, actor, "ErrorOccurred", &e.ErrorOccurred)
}

// net is where the demo's programs run: a transport (socket options) per
// host and the address each server listens on.
type network struct {
	opts map[string][]socket.Option // by host name
	addr map[string]transport.HostAddress
}

func newNetwork(kind string) (*network, error) {
	n := &network{opts: map[string][]socket.Option{}, addr: map[string]transport.HostAddress{}}
	hosts := []struct{ name, addr string }{
		{"fortune-server", "10.0.0.1"}, {"fortune-client", "10.0.0.2"},
		{"chat-server", "10.0.0.3"}, {"alice", "10.0.0.4"}, {"bob", "10.0.0.5"},
	}
	switch kind {
	case "mem":
		m := mem.New(mem.WithSeed(1))
		for _, h := range hosts {
			t, err := m.AddHost(h.name, mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix(h.addr + "/24")}})
			if err != nil {
				return nil, err
			}
			n.opts[h.name] = []socket.Option{socket.WithTransport(t)}
			n.addr[h.name] = transport.MustParseHostAddress(h.addr)
		}
	case "os":
		t := netsock.New()
		for _, h := range hosts {
			n.opts[h.name] = []socket.Option{socket.WithTransport(t)}
			n.addr[h.name] = transport.MustParseHostAddress("127.0.0.1")
		}
	default:
		return nil, fmt.Errorf("-transport %q: want mem or os", kind)
	}
	return n, nil
}

// run runs the demo over the transport kind, writing the traces to w, and
// returns the exit code.
func run(w io.Writer, kind string) int {
	n, err := newNetwork(kind)
	if err != nil {
		fmt.Fprintln(w, "demo:", err)
		return 2
	}
	var loops []*core.Loop
	loop := func(name string) *core.Loop {
		l := core.NewLoop(core.WithName(name))
		loops = append(loops, l)
		if err := l.Start(); err != nil {
			panic(err) // a new loop starts
		}
		return l
	}
	defer func() {
		// Let each loop run what its last slots queued (a DeleteLater
		// after Disconnected), then close them.
		for _, l := range loops {
			_ = l.Invoke(func() {})
		}
		for _, l := range loops {
			_ = l.Close()
		}
	}()
	var sides []*side
	newS := func(title string) *side { s := newSide(title); sides = append(sides, s); return s }
	err = fortuneDemo(n, loop, newS)
	if err == nil {
		err = chatDemo(n, loop, newS)
	}
	for _, s := range sides {
		fmt.Fprintf(w, "== %s\n", s.title)
		s.mu.Lock()
		for _, l := range s.lines {
			fmt.Fprintln(w, l)
		}
		s.mu.Unlock()
	}
	if err != nil {
		fmt.Fprintln(w, "demo:", err)
		return 1
	}
	return 0
}

// fortuneDemo runs Qt's fortune server and client: the client connects,
// reads one fortune and aborts; the server writes it and disconnects.
func fortuneDemo(n *network, loop func(string) *core.Loop, newS func(string) *side) error {
	sl, cl := loop("fortune-server-loop"), loop("fortune-client-loop")
	srvSide, cliSide := newS("fortune server"), newS("fortune client")
	cfg := fortune.Config{
		Pick: func(int) int { return 0 },
		WatchServer: func(srv *tcp.Server) {
			on0(srvSide, "server", "NewConnection", &srv.NewConnection)
			on(srvSide, "server", "AcceptError", &srv.AcceptError)
		},
		Accepted: func(c *tcp.Socket) { watchSocket(srvSide, "conn", c.Engine) },
		Served:   func(f string, _ *tcp.Socket) { srvSide.add("server wrote %q", f) },
	}
	srv, err := fortune.Serve(sl, n.addr["fortune-server"], 0, cfg, n.opts["fortune-server"]...)
	if err != nil {
		return err
	}
	defer func() { _ = sl.Invoke(srv.Destroy) }()
	got := make(chan error, 1)
	var ierr error
	if err := cl.Invoke(func() {
		_, ierr = fortune.RequestWatched(cl, n.addr["fortune-server"].String(), srv.ServerPort(), fortune.Qt57,
			func(s *tcp.Socket) {
				watchSocket(cliSide, "client", s.Engine)
				// The request aborts the connection as soon as it has
				// the fortune, which may reach the server before or
				// after it has closed its end (then it also reports
				// RemoteHostClosedError). Qt's client leaves the
				// connection to the server to close; to keep the trace
				// the same on every run, the client's first ReadyRead
				// (this slot runs before the request's) waits here, off
				// any event, until the server's end is closed: the
				// server's loop does not need the client's to get there.
				first := true
				_, _ = s.ReadyRead.Connect(func() {
					if first {
						first = false
						if err := srvSide.wait("conn.Disconnected"); err != nil {
							cliSide.add("%v", err)
						}
					}
				})
			},
			func(f string, err error) {
				if err == nil {
					cliSide.add("client read %q", f)
				}
				got <- err
			}, n.opts["fortune-client"]...)
	}); err != nil {
		return err
	}
	if ierr != nil {
		return ierr
	}
	select {
	case err := <-got:
		if err != nil {
			return err
		}
	case <-time.After(timeout):
		return errors.New("fortune: no fortune")
	}
	return srvSide.wait("conn.Disconnected")
}

// chatDemo runs the chat server and two clients. The steps are chained
// (alice connects and says hello, then bob; then alice says bye and
// leaves, then bob) so that each side's trace is the same on every run.
func chatDemo(n *network, loop func(string) *core.Loop, newS func(string) *side) error {
	sl := loop("chat-server-loop")
	srvSide := newS("chat server")
	var srv *chat.Server
	var err error
	log := logWriter{srvSide}
	accepted := 0
	names := []string{"alice", "bob"}
	if ierr := sl.Invoke(func() {
		srv, err = chat.NewServerWatched(sl, nil, log, func(t *tcp.Server) {
			on0(srvSide, "server", "NewConnection", &t.NewConnection)
		}, n.opts["chat-server"]...)
		if err != nil {
			return
		}
		srv.Accepted = func(c *tcp.Socket) {
			watchSocket(srvSide, names[accepted%2]+"-conn", c.Engine)
			accepted++
		}
		err = srv.Listen(n.addr["chat-server"], 0)
	}); ierr != nil {
		return ierr
	}
	if err != nil {
		return err
	}
	defer func() { _ = sl.Invoke(srv.Close) }()

	clients := map[string]*chat.Client{}
	sides := map[string]*side{}
	for _, name := range names {
		l := loop(name + "-loop")
		s := newS("chat client " + name)
		sides[name] = s
		var c *chat.Client
		if ierr := l.Invoke(func() {
			c, err = chat.NewClientWatched(l, func(sock *tcp.Socket) { watchSocket(s, name, sock.Engine) }, n.opts[name]...)
			if err != nil {
				return
			}
			on(s, name, "Reply", &c.Reply)
			on(s, name, "Failed", &c.Failed)
			_, _ = c.Reply.Connect(func(r string) {
				if r == "Bye." {
					c.Close()
				}
			})
			if err = c.Connect(n.addr["chat-server"].String(), srv.Port()); err == nil {
				err = c.Send("hello")
			}
		}); ierr != nil {
			return ierr
		}
		if err != nil {
			return err
		}
		clients[name] = c
		if err := s.wait(name + ".Reply Hello! Ask me the time, or say bye."); err != nil {
			return err
		}
	}
	for _, name := range names {
		c := clients[name]
		if err := c.Socket().Object.Loop().Invoke(func() { err = c.Send("bye") }); err != nil {
			return err
		}
		if err != nil {
			return err
		}
		if err := sides[name].wait(name + ".Disconnected"); err != nil {
			return err
		}
		if err := srvSide.wait(name + "-conn.Disconnected"); err != nil {
			return err
		}
	}
	return nil
}

// logWriter puts the chat server's log lines in its trace.
type logWriter struct{ s *side }

func (w logWriter) Write(p []byte) (int, error) {
	w.s.add("log: %s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
