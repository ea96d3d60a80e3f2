// Package broadcast is Qt's broadcast sender and receiver example on
// slotnet: a sender broadcasts "Broadcast message N" (N from 1) to port
// 45454 once a second, and every receiver on the segment bound to that port
// with transport.ShareAddress gets each message. Commands broadcastsender
// and broadcastreceiver run it; the tests run it over the in-memory network.
package broadcast

import (
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

// Port is Qt's example port.
const Port = 45454

// limited is the limited broadcast address, Qt's QHostAddress::Broadcast.
var limited = netip.AddrFrom4([4]byte{255, 255, 255, 255})

// Interval is Qt's: one message a second.
const Interval = time.Second

// Message returns the text of message n, as Qt's sender writes it.
func Message(n int) string { return fmt.Sprintf("Broadcast message %d", n) }

// ErrBadInterval is returned for an interval that is not positive.
var ErrBadInterval = errors.New("broadcast: the interval must be positive")

// ErrBadPort is returned for a port outside 1…65535.
var ErrBadPort = errors.New("broadcast: the port must be in 1…65535")

// ErrBadAddress is returned for a destination that is not an IPv4
// address (broadcast is IPv4 only).
var ErrBadAddress = errors.New("broadcast: the address must be an IPv4 address")

// Sender broadcasts a numbered message every interval. It lives on one loop.
type Sender struct {
	sock  *udp.Socket
	timer *core.Timer
	addr  netip.Addr
	port  int
	n     int
	// Sent is emitted with the number of each message after it is written.
	Sent signal.Signal[int]
	// Failed is emitted with Qt's error text when a write fails.
	Failed signal.Signal[string]
}

// NewSender makes a sender on loop l (call it on l) that broadcasts to port
// every interval once started.
func NewSender(l *core.Loop, port int, interval time.Duration, opts ...socket.Option) (*Sender, error) {
	if port < 1 || port > 65535 {
		return nil, ErrBadPort
	}
	if interval <= 0 {
		return nil, ErrBadInterval
	}
	sock, err := udp.NewSocket(append([]socket.Option{socket.WithLoop(l)}, opts...)...)
	if err != nil {
		return nil, err
	}
	s := &Sender{sock: sock, addr: limited, port: port}
	if err := sock.BindSignals(s); err != nil {
		sock.Destroy()
		return nil, err
	}
	if s.timer, err = core.NewTimer(core.WithParent(sock.Object), core.WithInterval(interval)); err != nil {
		sock.Destroy()
		return nil, err
	}
	_, _ = s.timer.Timeout.Connect(s.send)
	return s, nil
}

// SetAddress sets where the sender writes: by default the limited
// broadcast address 255.255.255.255 (Qt's QHostAddress::Broadcast), which
// leaves by the default interface; a directed broadcast address such as
// 127.255.255.255 (loopback's) keeps the datagrams on that subnet.
func (s *Sender) SetAddress(addr netip.Addr) error {
	if !addr.Is4() {
		return ErrBadAddress
	}
	s.addr = addr
	return nil
}

// Address returns where the sender writes.
func (s *Sender) Address() netip.Addr { return s.addr }

// Socket returns the sender's socket (e.g. to bind it to an address before
// Start; unbound, its first write binds it to AnyIPv4).
func (s *Sender) Socket() *udp.Socket { return s.sock }

// Start starts broadcasting: the first message after one interval, as Qt's
// example does.
func (s *Sender) Start() error { return s.timer.Start() }

// Stop stops broadcasting; Start resumes the numbering.
func (s *Sender) Stop() { s.timer.Stop() }

// Close stops the sender and destroys its socket.
func (s *Sender) Close() { s.sock.Destroy() }

func (s *Sender) send() {
	s.n++
	if _, err := s.sock.WriteDatagram([]byte(Message(s.n)), s.addr, s.port); err != nil {
		s.Failed.Emit(s.sock.ErrorString())
		return
	}
	s.Sent.Emit(s.n)
}

// Receiver receives the broadcasts on a port. It lives on one loop.
type Receiver struct {
	sock *udp.Socket
	// Received is emitted with each datagram's text.
	Received signal.Signal[string]
}

// NewReceiver makes a receiver on loop l (call it on l) bound to AnyIPv4
// and port with ShareAddress, so several receivers on one host share it.
func NewReceiver(l *core.Loop, port int, opts ...socket.Option) (*Receiver, error) {
	if port < 1 || port > 65535 {
		return nil, ErrBadPort
	}
	sock, err := udp.NewSocket(append([]socket.Option{socket.WithLoop(l)}, opts...)...)
	if err != nil {
		return nil, err
	}
	r := &Receiver{sock: sock}
	if err := sock.BindSignals(r); err != nil {
		sock.Destroy()
		return nil, err
	}
	_, _ = sock.ReadyRead.Connect(func() {
		for sock.HasPendingDatagrams() {
			dg, err := sock.ReceiveDatagram()
			if err != nil {
				return
			}
			r.Received.Emit(string(dg.Data))
		}
	})
	if err := sock.Bind(netip.IPv4Unspecified(), port, transport.ShareAddress); err != nil {
		sock.Destroy()
		return nil, fmt.Errorf("broadcast: bind port %d: %w", port, err)
	}
	return r, nil
}

// Socket returns the receiver's socket.
func (r *Receiver) Socket() *udp.Socket { return r.sock }

// Close destroys the receiver's socket.
func (r *Receiver) Close() { r.sock.Destroy() }
