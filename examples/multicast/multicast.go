// Package multicast is Qt's multicast sender and receiver example on
// slotnet: a sender writes "Multicast message N" (N from 1) to a group
// (239.255.43.21, or ff12::2115 for IPv6) on port 45454 once a second with
// a TTL (default 1), and every receiver that joined the group gets each
// message. Commands multicastsender and multicastreceiver run it; the
// tests run it over the in-memory network.
package multicast

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

// Qt's example defaults.
const (
	Port     = 45454
	Interval = time.Second
	TTL      = 1
)

// Qt's example groups.
var (
	Group4 = netip.MustParseAddr("239.255.43.21")
	Group6 = netip.MustParseAddr("ff12::2115")
)

// Message returns the text of message n, as Qt's sender writes it.
func Message(n int) string { return fmt.Sprintf("Multicast message %d", n) }

// Errors for bad arguments.
var (
	ErrBadInterval = errors.New("multicast: the interval must be positive")
	ErrBadPort     = errors.New("multicast: the port must be in 1…65535")
	ErrBadTTL      = errors.New("multicast: the TTL must be in 0…255")
	ErrBadGroup    = errors.New("multicast: not a multicast group address")
)

// any returns the unspecified address of group's family.
func anyOf(group netip.Addr) netip.Addr {
	if group.Is4() {
		return netip.IPv4Unspecified()
	}
	return netip.IPv6Unspecified()
}

func newSocket(l *core.Loop, opts []socket.Option) (*udp.Socket, error) {
	return udp.NewSocket(append([]socket.Option{socket.WithLoop(l)}, opts...)...)
}

// Sender writes a numbered message to a group every interval. It lives on
// one loop.
type Sender struct {
	sock  *udp.Socket
	timer *core.Timer
	group netip.Addr
	port  int
	n     int
	// Sent is emitted with the number of each message after it is written.
	Sent signal.Signal[int]
	// Failed is emitted with Qt's error text when a write fails.
	Failed signal.Signal[string]
}

// NewSender makes a sender on loop l (call it on l) that, once started,
// writes to group and port every interval with the given TTL, leaving by
// interface iface ("" lets the system choose).
func NewSender(l *core.Loop, group netip.Addr, port, ttl int, iface string, interval time.Duration, opts ...socket.Option) (*Sender, error) {
	switch {
	case !group.IsMulticast():
		return nil, ErrBadGroup
	case port < 1 || port > 65535:
		return nil, ErrBadPort
	case ttl < 0 || ttl > 255:
		return nil, ErrBadTTL
	case interval <= 0:
		return nil, ErrBadInterval
	}
	sock, err := newSocket(l, opts)
	if err != nil {
		return nil, err
	}
	s := &Sender{sock: sock, group: group, port: port}
	fail := func(err error) (*Sender, error) { sock.Destroy(); return nil, err }
	if err := sock.BindSignals(s); err != nil {
		return fail(err)
	}
	if err := sock.Bind(anyOf(group), 0, transport.DefaultForPlatform); err != nil {
		return fail(fmt.Errorf("multicast: bind: %w", err))
	}
	if err := sock.SetSocketOption(transport.MulticastTtlOption, ttl); err != nil {
		return fail(fmt.Errorf("multicast: TTL: %w", err))
	}
	if iface != "" {
		if err := sock.SetMulticastInterface(iface); err != nil {
			return fail(fmt.Errorf("multicast: interface %q: %w", iface, err))
		}
	}
	if s.timer, err = core.NewTimer(core.WithParent(sock.Object), core.WithInterval(interval)); err != nil {
		return fail(err)
	}
	_, _ = s.timer.Timeout.Connect(s.send)
	return s, nil
}

// Start starts sending: the first message after one interval.
func (s *Sender) Start() error { return s.timer.Start() }

// Stop stops sending; Start resumes the numbering.
func (s *Sender) Stop() { s.timer.Stop() }

// Close stops the sender and destroys its socket.
func (s *Sender) Close() { s.sock.Destroy() }

func (s *Sender) send() {
	s.n++
	if _, err := s.sock.WriteDatagram([]byte(Message(s.n)), s.group, s.port); err != nil {
		s.Failed.Emit(s.sock.ErrorString())
		return
	}
	s.Sent.Emit(s.n)
}

// Receiver receives what is sent to a group on a port. It lives on one
// loop.
type Receiver struct {
	sock *udp.Socket
	// Received is emitted with each datagram's text.
	Received signal.Signal[string]
}

// NewReceiver makes a receiver on loop l (call it on l): bound to the Any
// address of group's family and port with ShareAddress, member of group on
// interface iface ("" lets the system choose).
func NewReceiver(l *core.Loop, group netip.Addr, port int, iface string, opts ...socket.Option) (*Receiver, error) {
	switch {
	case !group.IsMulticast():
		return nil, ErrBadGroup
	case port < 1 || port > 65535:
		return nil, ErrBadPort
	}
	sock, err := newSocket(l, opts)
	if err != nil {
		return nil, err
	}
	r := &Receiver{sock: sock}
	fail := func(err error) (*Receiver, error) { sock.Destroy(); return nil, err }
	if err := sock.BindSignals(r); err != nil {
		return fail(err)
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
	if err := sock.Bind(anyOf(group), port, transport.ShareAddress); err != nil {
		return fail(fmt.Errorf("multicast: bind port %d: %w", port, err))
	}
	if err := sock.JoinMulticastGroup(group, iface); err != nil {
		return fail(fmt.Errorf("multicast: join %v: %w", group, err))
	}
	return r, nil
}

// Socket returns the receiver's socket.
func (r *Receiver) Socket() *udp.Socket { return r.sock }

// Close destroys the receiver's socket.
func (r *Receiver) Close() { r.sock.Destroy() }
