// Package chat is the TCP chat of the seeds' PyQt5 chapter, on slotnet: a
// server that answers each line a client sends through a pluggable
// Responder (the default, Local, needs no network), several clients at
// once, and a log line for each connect and disconnect with the peer's
// address and port. Commands chatserver and chatclient run it; the tests
// run it in-process over the in-memory network and over loopback.
//
// The protocol is lines of UTF-8 text, each ended by '\n'.
package chat

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/signal"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// MaxLine bounds a message: a client that sends a longer line without '\n'
// is disconnected (a hostile peer must not grow the server's buffer).
const MaxLine = 4096

// Responder answers one message from a client (from is its address).
type Responder interface {
	Respond(from netip.AddrPort, msg string) string
}

// ResponderFunc adapts a function to Responder.
type ResponderFunc func(from netip.AddrPort, msg string) string

// Respond calls f.
func (f ResponderFunc) Respond(from netip.AddrPort, msg string) string { return f(from, msg) }

// Local is the default responder: a few rules, no network.
var Local Responder = ResponderFunc(func(_ netip.AddrPort, msg string) string {
	m := strings.ToLower(strings.TrimSpace(msg))
	switch {
	case m == "":
		return "Say something."
	case m == "hello" || m == "hi":
		return "Hello! Ask me the time, or say bye."
	case strings.Contains(m, "time"):
		return "It is " + time.Now().Format("15:04:05") + "."
	case m == "bye":
		return "Bye."
	}
	return "You said: " + strings.TrimSpace(msg)
})

// Server is the chat server. It lives on one loop.
type Server struct {
	srv       *tcp.Server
	responder Responder
	mu        sync.Mutex // guards log
	log       io.Writer
	clients   int
	// Accepted, when set (before Listen, on the server's loop), is called
	// with each client's socket before the server connects its own slots
	// to it: a hook to observe a connection (examples/demo traces its
	// signals).
	Accepted func(*tcp.Socket)
}

// NewServer makes a server on loop l (call it on l) that logs to log and
// answers with r (nil: Local).
func NewServer(l *core.Loop, r Responder, log io.Writer, opts ...socket.Option) (*Server, error) {
	return NewServerWatched(l, r, log, nil, opts...)
}

// NewServerWatched is NewServer with a hook: watch, when not nil, is
// called with the tcp.Server before the chat server connects its own slots
// to it, so a caller's slots (examples/demo's trace) run first.
func NewServerWatched(l *core.Loop, r Responder, log io.Writer, watch func(*tcp.Server), opts ...socket.Option) (*Server, error) {
	if r == nil {
		r = Local
	}
	srv, err := tcp.NewServer(append([]socket.Option{socket.WithLoop(l)}, opts...)...)
	if err != nil {
		return nil, err
	}
	s := &Server{srv: srv, responder: r, log: log}
	if watch != nil {
		watch(srv)
	}
	if _, err := srv.NewConnection.Connect(s.accept); err != nil {
		srv.Destroy()
		return nil, err
	}
	return s, nil
}

// Listen listens on addr and port (0 picks one; Port says which).
func (s *Server) Listen(addr transport.HostAddress, port int) error { return s.srv.Listen(addr, port) }

// Port returns the listening port.
func (s *Server) Port() int { return s.srv.ServerPort() }

// Object returns the server's object (its loop, WaitUntil, Destroy).
func (s *Server) Object() *core.Object { return s.srv.Object }

// Clients returns how many clients are connected.
func (s *Server) Clients() int { return s.clients }

// Close stops the server and disconnects every client.
func (s *Server) Close() { s.srv.Destroy() }

func (s *Server) logf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.log, format+"\n", args...)
}

func (s *Server) accept() {
	for s.srv.HasPendingConnections() {
		c := s.srv.NextPendingConnection()
		if s.Accepted != nil {
			s.Accepted(c)
		}
		peer := netip.AddrPortFrom(c.PeerAddress(), uint16(c.PeerPort()))
		s.clients++
		s.logf("connect %s", peer)
		_, _ = c.ReadyRead.Connect(func() {
			for c.CanReadLine() {
				line, _ := c.ReadLine()
				msg := strings.TrimRight(string(line), "\r\n")
				_, _ = c.Write([]byte(s.responder.Respond(peer, msg) + "\n"))
			}
			if c.BytesAvailable() > MaxLine {
				s.logf("line too long from %s", peer)
				_ = c.Abort()
			}
		})
		_, _ = c.Disconnected.Connect(func() {
			s.clients--
			s.logf("disconnect %s", peer)
			c.DeleteLater()
		})
	}
}

// Client is a chat client on one loop.
type Client struct {
	sock *tcp.Socket
	// Reply is emitted with each line the server sends.
	Reply signal.Signal[string]
	// Failed is emitted with Qt's error text when the connection fails or
	// the server goes away.
	Failed signal.Signal[string]
}

// NewClient makes a client on loop l (call it on l).
func NewClient(l *core.Loop, opts ...socket.Option) (*Client, error) {
	return NewClientWatched(l, nil, opts...)
}

// NewClientWatched is NewClient with a hook: watch, when not nil, is
// called with the client's socket before the client connects its own
// slots to it, so a caller's slots (examples/demo's trace) run first.
func NewClientWatched(l *core.Loop, watch func(*tcp.Socket), opts ...socket.Option) (*Client, error) {
	sock, err := tcp.NewSocket(append([]socket.Option{socket.WithLoop(l)}, opts...)...)
	if err != nil {
		return nil, err
	}
	c := &Client{sock: sock}
	if watch != nil {
		watch(sock)
	}
	if err := sock.BindSignals(c); err != nil {
		sock.Destroy()
		return nil, err
	}
	_, _ = sock.ReadyRead.Connect(func() {
		for sock.CanReadLine() {
			line, _ := sock.ReadLine()
			c.Reply.Emit(strings.TrimRight(string(line), "\r\n"))
		}
	})
	_, _ = sock.ErrorOccurred.Connect(func(transport.SocketError) { c.Failed.Emit(sock.ErrorString()) })
	return c, nil
}

// Connect connects to the server at host and port.
func (c *Client) Connect(host string, port int) error { return c.sock.ConnectToHost(host, port) }

// Send sends one message (written once connected if still connecting).
func (c *Client) Send(msg string) error {
	if strings.ContainsAny(msg, "\n") {
		return fmt.Errorf("chat: a message is one line")
	}
	_, err := c.sock.Write([]byte(msg + "\n"))
	return err
}

// Socket returns the client's socket (for its signals and state).
func (c *Client) Socket() *tcp.Socket { return c.sock }

// Close disconnects after sending what is pending, and destroys the
// client once disconnected.
func (c *Client) Close() {
	if c.sock.State() == socket.UnconnectedState {
		c.sock.Destroy()
		return
	}
	_, _ = c.sock.Disconnected.Connect(c.sock.DeleteLater)
	_ = c.sock.DisconnectFromHost()
}
