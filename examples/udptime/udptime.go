// Package udptime is the UDP time server and client of the seeds' PyQt5
// chapter, on slotnet: the server, bound to port 6666, answers every
// request datagram with its current time; it can be started and stopped.
// The client sends a request and waits for the answer. Commands timeserver
// and timeclient run them; the tests run them over the in-memory network
// and over loopback.
package udptime

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/signal"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/udp"
)

// Port is the chapter's port.
const Port = 6666

// Layout is the format of an answer.
const Layout = "2006-01-02 15:04:05"

// Request is what the client sends; the server answers any datagram.
const Request = "time?"

// ErrRunning is returned by Start on a started server.
var ErrRunning = errors.New("udptime: the server is running")

// Server answers each datagram with the time. It lives on one loop.
type Server struct {
	l    *core.Loop
	now  func() time.Time
	opts []socket.Option
	sock *udp.Socket
	// Served is emitted with the address of each client answered.
	Served signal.Signal[netip.AddrPort]
}

// NewServer makes a stopped server on loop l that tells the time by now
// (nil: time.Now).
func NewServer(l *core.Loop, now func() time.Time, opts ...socket.Option) *Server {
	if now == nil {
		now = time.Now
	}
	return &Server{l: l, now: now, opts: opts}
}

// Start binds addr and port (0 picks one; Port says which) and answers
// requests until Stop. Call it on the server's loop.
func (s *Server) Start(addr netip.Addr, port int) error {
	if s.sock != nil {
		return ErrRunning
	}
	sock, err := udp.NewSocket(append([]socket.Option{socket.WithLoop(s.l)}, s.opts...)...)
	if err != nil {
		return err
	}
	_, _ = sock.ReadyRead.Connect(func() {
		for sock.HasPendingDatagrams() {
			dg, err := sock.ReceiveDatagram()
			if err != nil {
				return
			}
			if _, err := sock.WriteDatagram([]byte(s.now().Format(Layout)), dg.SenderAddress, dg.SenderPort); err == nil {
				s.Served.Emit(netip.AddrPortFrom(dg.SenderAddress, uint16(dg.SenderPort)))
			}
		}
	})
	if err := sock.Bind(addr, port, transport.DefaultForPlatform); err != nil {
		sock.Destroy()
		return fmt.Errorf("udptime: bind %v port %d: %w", addr, port, err)
	}
	s.sock = sock
	return nil
}

// Running reports whether the server is started.
func (s *Server) Running() bool { return s.sock != nil }

// Port returns the bound port (0 when stopped).
func (s *Server) Port() int {
	if s.sock == nil {
		return 0
	}
	return s.sock.LocalPort()
}

// Stop closes the server's socket; Start may be called again.
func (s *Server) Stop() {
	if s.sock != nil {
		s.sock.Destroy()
		s.sock = nil
	}
}

// Query sends a request to the server at addr and port and returns its
// answer, or an error when none comes before ctx ends.
func Query(ctx context.Context, addr netip.Addr, port int, opts ...socket.Option) (string, error) {
	sock, err := udp.NewSocket(opts...)
	if err != nil {
		return "", err
	}
	defer sock.Destroy()
	if _, err := sock.WriteDatagram([]byte(Request), addr, port); err != nil {
		return "", fmt.Errorf("udptime: %s", sock.ErrorString())
	}
	var answer string
	var rerr error
	if err := sock.WaitUntil(ctx, func() bool {
		for sock.HasPendingDatagrams() {
			dg, err := sock.ReceiveDatagram()
			if err != nil {
				rerr = err
				return true
			}
			if dg.SenderAddress.Unmap() == addr.Unmap() && dg.SenderPort == port {
				answer = string(dg.Data)
				return true
			}
		}
		return false
	}); err != nil {
		return "", fmt.Errorf("udptime: no answer from %v port %d: %w", addr, port, err)
	}
	return answer, rerr
}
