package mem

import (
	"context"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// DatagramSocket is a UDP socket on a simulated host, as returned by
// Host.BindDatagram. Datagrams keep their boundaries, queue in a bounded
// receive buffer (ReceiveBufferSizeSocketOption, DefaultReceiveBuffer
// bytes by default; a datagram that does not fit is dropped and counted) and
// cross links subject to the links' Faults. Its methods are safe for
// concurrent use.
type DatagramSocket struct {
	host  *Host
	bind  *binding
	bound netip.AddrPort // the address bound (may be unspecified); fixed

	mu      sync.Mutex // guards every field below
	local   netip.AddrPort
	remote  netip.AddrPort
	closed  bool
	q       recvQueue
	rcvbuf  int
	sndbuf  int
	wake    chan struct{} // closed to wake blocked readers; nil while nobody waits
	rdl     time.Time     // read deadline
	wdl     time.Time     // write deadline
	softErr error         // an ICMP error reported by the next read
	dropped uint64
	opts    sendOpts
	groups  []membership
	site    *site // where it was bound (WithCreationSites); fixed
}

// sendOpts are the settings a send reads, snapshotted under the socket's
// lock.
type sendOpts struct {
	broadcast bool
	mcastIf   *iface // nil: the default interface
	mcastTTL  int
	mcastLoop bool
	ttl       int
	tos       int
}

// Defaults of a new datagram socket, as Linux's.
const (
	DefaultReceiveBuffer = 212992 // net.core.rmem_default
	DefaultSendBuffer    = 212992 // net.core.wmem_default
	DefaultTTL           = 64     // unicast TTL / hop limit
	DefaultMulticastTTL  = 1
	// DatagramOverhead is what each queued datagram costs in the receive
	// buffer on top of its payload, so that zero-length datagrams fill it
	// too.
	DatagramOverhead = 64
	// MaxDatagram is the largest UDP payload over IPv4 (65535 - 8 - 20);
	// nothing larger is ever sent.
	MaxDatagram = 65507
)

var _ transport.Datagram = (*DatagramSocket)(nil)

// BindDatagram opens a datagram socket on local. Port 0 picks the next
// ephemeral port; an invalid local address binds to :: (both families).
// The address must be unspecified, loopback, one of the host's or a
// multicast group, else SocketAddressNotAvailableError; a port taken by a
// socket that does not share it (both need ShareAddress or
// ReuseAddressHint) gives AddressInUseError.
func (h *Host) BindDatagram(ctx context.Context, local netip.AddrPort, opts transport.BindOptions) (transport.Datagram, error) {
	if err := ctx.Err(); err != nil {
		return nil, &transport.Error{Code: transport.OperationError, Op: "bind", Addr: local.String(), Err: err}
	}
	s := &DatagramSocket{
		host:   h,
		rcvbuf: DefaultReceiveBuffer,
		sndbuf: DefaultSendBuffer,
		opts:   sendOpts{mcastTTL: DefaultMulticastTTL, mcastLoop: true, ttl: DefaultTTL, broadcast: opts.Broadcast},
	}
	if opts.RecvBuf > 0 {
		s.rcvbuf = opts.RecvBuf
	}
	if h.net.life.sites {
		s.site = newSite()
	}
	if opts.Interface != "" {
		ifc := h.ifaceByName(opts.Interface)
		if ifc == nil {
			return nil, noSuchIface("bind", opts.Interface)
		}
		s.opts.mcastIf = ifc
	}
	b, err := h.bind(protoUDP, local, opts.Mode, s)
	if err != nil {
		return nil, err
	}
	s.bind, s.bound, s.local = b, b.addr, b.addr
	return s, nil
}

// ReadDatagram waits for the next datagram and copies it into b. A
// datagram longer than b is truncated: meta.Truncated is set and the rest
// is lost. Once the read deadline has passed, reads fail with a timeout
// even if datagrams are queued, as package net's do. After a datagram sent from a connected socket found no
// receiver, the next read on the sender returns ConnectionRefusedError
// (the model's ICMP port unreachable).
func (s *DatagramSocket) ReadDatagram(b []byte) (int, transport.DatagramMeta, error) {
	s.mu.Lock()
	for {
		if s.closed {
			s.mu.Unlock()
			return 0, transport.DatagramMeta{}, closedErr("read")
		}
		dl := s.rdl
		if !dl.IsZero() && !time.Now().Before(dl) {
			s.mu.Unlock()
			return 0, transport.DatagramMeta{}, timeoutErr("read")
		}
		if p, ok := s.q.pop(); ok {
			s.mu.Unlock()
			data := *p.buf
			n := copy(b, data)
			p.meta.Truncated = n < len(data)
			putBuf(p.buf)
			return n, p.meta, nil
		}
		if err := s.softErr; err != nil {
			s.softErr = nil
			s.mu.Unlock()
			return 0, transport.DatagramMeta{}, err
		}
		wake := s.waitChanLocked()
		s.mu.Unlock()
		waitUntil(wake, dl)
		s.mu.Lock()
	}
}

// waitChanLocked returns the channel the next state change closes.
func (s *DatagramSocket) waitChanLocked() chan struct{} {
	if s.wake == nil {
		s.wake = make(chan struct{})
	}
	return s.wake
}

// wakeLocked wakes every blocked reader.
func (s *DatagramSocket) wakeLocked() {
	if s.wake != nil {
		close(s.wake)
		s.wake = nil
	}
}

// waitUntil blocks until wake is closed or the deadline dl (if set) passes.
func waitUntil(wake <-chan struct{}, dl time.Time) {
	if dl.IsZero() {
		<-wake
		return
	}
	t := time.NewTimer(time.Until(dl))
	defer t.Stop()
	select {
	case <-wake:
	case <-t.C:
	}
}

// accepts reports whether a datagram from src may be queued: a connected
// socket takes only its peer's datagrams.
func (s *DatagramSocket) acceptsLocked(src netip.AddrPort) bool {
	return !s.remote.IsValid() || s.remote == src
}

// refuse records the model's ICMP port unreachable for a datagram the
// socket sent to dst: a connected socket reports it on its next read.
func (s *DatagramSocket) refuse(dst netip.AddrPort) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.remote != dst {
		return
	}
	s.softErr = &transport.Error{Code: transport.ConnectionRefusedError, Op: "read", Addr: dst.String()}
	s.wakeLocked()
}

// Close unbinds the socket, discards its queue and unblocks every read
// with an error wrapping net.ErrClosed. A second Close changes nothing
// and returns an error wrapping net.ErrClosed, as the OS transport does.
func (s *DatagramSocket) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return closedErr("close") // as a closed *net.UDPConn does
	}
	s.closed = true
	s.q.discard()
	s.groups = nil
	s.wakeLocked()
	s.mu.Unlock()
	s.host.unbind(s.bind)
	return nil
}

// Dropped returns how many datagrams arrived while the receive buffer was
// full.
func (s *DatagramSocket) Dropped() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Pending returns the number of queued datagrams and their payload bytes.
func (s *DatagramSocket) Pending() (datagrams, bytes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.q.len(), s.q.bytes - s.q.len()*DatagramOverhead
}

// LocalAddrPort returns the bound address; after Connect, an unspecified
// bound address is replaced by the source address towards the peer.
func (s *DatagramSocket) LocalAddrPort() netip.AddrPort {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.local
}

// RemoteAddrPort returns the connected peer, or the zero value.
func (s *DatagramSocket) RemoteAddrPort() netip.AddrPort {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.remote
}

// SetDeadline sets both deadlines.
func (s *DatagramSocket) SetDeadline(t time.Time) error {
	return s.setDeadlines(t, t, true, true)
}

// SetReadDeadline bounds ReadDatagram; a blocked read wakes up when it
// passes. The zero time means no deadline.
func (s *DatagramSocket) SetReadDeadline(t time.Time) error {
	return s.setDeadlines(t, time.Time{}, true, false)
}

// SetWriteDeadline bounds writes. Sending never blocks in the model, so
// only a deadline already passed matters: the write fails with a timeout.
func (s *DatagramSocket) SetWriteDeadline(t time.Time) error {
	return s.setDeadlines(time.Time{}, t, false, true)
}

func (s *DatagramSocket) setDeadlines(rd, wd time.Time, setR, setW bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return closedErr("set deadline")
	}
	if setR {
		s.rdl = rd
		s.wakeLocked()
	}
	if setW {
		s.wdl = wd
	}
	return nil
}

func closedErr(op string) error {
	return &transport.Error{Code: transport.OperationError, Op: op, Err: net.ErrClosed}
}

func timeoutErr(op string) error {
	return &transport.Error{Code: transport.SocketTimeoutError, Op: op, Err: os.ErrDeadlineExceeded}
}

func noSuchIface(op, name string) error {
	return &transport.Error{Code: transport.SocketAddressNotAvailableError, Op: op, Addr: name, Err: errNoSuchInterface}
}
