package mem

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// IP and UDP header sizes: the payload a datagram may carry is the path
// MTU minus these.
const (
	headerIPv4 = 20 + 8
	headerIPv6 = 40 + 8
)

var (
	errBadDestination = errors.New("invalid destination address")
	errPortZero       = errors.New("port 0 is not a destination")
	errFamily         = errors.New("address family not supported by the socket")
	errNotConnected   = errors.New("socket is not connected")
	errMartian        = errors.New("a loopback source cannot reach another host")
	errHopLimit       = errors.New("a hop limit above 255")
)

// WriteDatagram sends b to dst as one datagram and returns len(b). dst may
// be a unicast address, 255.255.255.255 or a directed broadcast address of
// one of the host's subnets (both need BindOptions.Broadcast, else
// SocketAccessError), or a multicast group. b longer than the path allows
// (the smaller MTU of the two ends, minus 28 bytes of IPv4 or 48 of IPv6
// headers, and never more than MaxDatagram) gives DatagramTooLargeError:
// the model does not fragment. A datagram to an address no host owns
// vanishes, as on a real network.
func (s *DatagramSocket) WriteDatagram(b []byte, dst netip.AddrPort) (int, error) {
	o, err := s.sendState("write")
	if err != nil {
		return 0, err
	}
	return s.send(b, dst, o)
}

// Write sends b to the connected peer.
func (s *DatagramSocket) Write(b []byte) (int, error) {
	o, err := s.sendState("write")
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	dst := s.remote
	s.mu.Unlock()
	if !dst.IsValid() {
		return 0, &transport.Error{Code: transport.OperationError, Op: "write", Err: errNotConnected}
	}
	return s.send(b, dst, o)
}

// sendState checks that the socket may send now and snapshots its options.
func (s *DatagramSocket) sendState(op string) (sendOpts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return sendOpts{}, closedErr(op)
	}
	if !s.wdl.IsZero() && !time.Now().Before(s.wdl) {
		return sendOpts{}, timeoutErr(op)
	}
	return s.opts, nil
}

func (s *DatagramSocket) send(b []byte, dst netip.AddrPort, o sendOpts) (int, error) {
	dst = netip.AddrPortFrom(dst.Addr().Unmap(), dst.Port())
	if err := s.checkDst("write", dst); err != nil {
		return 0, err
	}
	if len(b) > MaxDatagram {
		return 0, tooLarge(dst, MaxDatagram)
	}
	switch a := dst.Addr(); {
	case a.IsMulticast():
		return s.sendMulticast(b, dst, o)
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || s.host.directedBroadcast(a) != nil:
		if !o.broadcast {
			return 0, &transport.Error{Code: transport.SocketAccessError, Op: "write", Addr: dst.String(),
				Err: errors.New("sending to a broadcast address needs the Broadcast bind option")}
		}
		return s.sendBroadcast(b, dst, o)
	default:
		return s.sendUnicast(b, dst, o)
	}
}

// checkDst refuses destinations the socket cannot send to: an invalid or
// unspecified address, port 0 (NetworkError, as Qt 5 reports the EINVAL
// of sendto(2)), or the other family on a socket bound to one.
func (s *DatagramSocket) checkDst(op string, dst netip.AddrPort) error {
	a := dst.Addr()
	if !a.IsValid() || a.IsUnspecified() {
		return &transport.Error{Code: transport.SocketAddressNotAvailableError, Op: op, Addr: dst.String(), Err: errBadDestination}
	}
	if dst.Port() == 0 {
		return &transport.Error{Code: transport.NetworkError, Op: op, Addr: dst.String(), Err: errPortZero}
	}
	bound := s.bound.Addr()
	if bound.Is4() != a.Is4() && !(bound.Is6() && bound.IsUnspecified()) {
		return &transport.Error{Code: transport.NetworkError, Op: op, Addr: dst.String(), Err: errFamily}
	}
	return nil
}

// checkSize refuses n bytes over a path of the given MTU.
func checkSize(n, mtu int, dst netip.AddrPort) error {
	limit := mtu - headerIPv4
	if dst.Addr().Is6() {
		limit = mtu - headerIPv6
	}
	limit = min(limit, MaxDatagram)
	if n > limit {
		return tooLarge(dst, limit)
	}
	return nil
}

func tooLarge(dst netip.AddrPort, limit int) error {
	return &transport.Error{Code: transport.DatagramTooLargeError, Op: "write", Addr: dst.String(),
		Err: fmt.Errorf("datagram exceeds the path's limit of %d bytes", limit)}
}

// srcFor returns the source address of a send: the bound address, or the
// address chosen for dst when bound to an unspecified one.
func (s *DatagramSocket) srcFor(dst netip.Addr, pick func() netip.Addr) netip.AddrPort {
	a := s.bound.Addr()
	if a.IsUnspecified() || a.IsMulticast() {
		a = pick()
	}
	return netip.AddrPortFrom(a, s.bound.Port())
}

func (s *DatagramSocket) sendUnicast(b []byte, dst netip.AddrPort, o sendOpts) (int, error) {
	h := s.host
	src := s.srcFor(dst.Addr(), func() netip.Addr { return h.sourceFor(dst.Addr()) })
	to, mtu, ifIndex := h.unicastPath(src.Addr(), dst.Addr())
	if to != h && src.Addr().IsLoopback() {
		return 0, &transport.Error{Code: transport.NetworkError, Op: "write", Addr: dst.String(), Err: errMartian}
	}
	if err := checkSize(len(b), mtu, dst); err != nil {
		return 0, err
	}
	h.countDatagrams(1, 0, 0)
	if to == nil {
		return len(b), nil
	}
	d := delivery{kind: kindUnicast, to: to, from: s, meta: transport.DatagramMeta{
		Src: src, Dst: dst, HopLimit: o.ttl, IfIndex: ifIndex,
	}}
	h.net.Link(h, to).sendDatagram(&d, b)
	return len(b), nil
}

// unicastPath returns the host owning dst (nil if none), the path MTU from
// src (the smaller MTU of the interfaces the datagram leaves and arrives
// through; loopback's for the host itself) and the index of the receiving
// interface.
func (h *Host) unicastPath(src, dst netip.Addr) (to *Host, mtu, ifIndex int) {
	to = h.net.hostFor(h, dst)
	if to == h {
		return to, LoopbackMTU, 1
	}
	mtu, ifIndex = DefaultMTU, 0
	if out := h.ifaceFor(src); out != nil {
		mtu = out.MTU
	}
	if to != nil {
		if in := to.ifaceFor(dst); in != nil {
			mtu, ifIndex = min(mtu, in.MTU), in.Index
		}
	}
	return to, mtu, ifIndex
}

func (s *DatagramSocket) sendBroadcast(b []byte, dst netip.AddrPort, o sendOpts) (int, error) {
	h := s.host
	out, p := h.broadcastIface(dst.Addr(), s.bound.Addr())
	if err := checkSize(len(b), out.MTU, dst); err != nil {
		return 0, err
	}
	src := s.srcFor(dst.Addr(), p.Addr)
	h.countDatagrams(1, 0, 0)
	for _, m := range h.net.lan(h, out) {
		d := delivery{kind: kindBroadcast, to: m.host, ifc: m.ifc, from: s, meta: transport.DatagramMeta{
			Src: src, Dst: dst, HopLimit: o.ttl, IfIndex: m.ifc.Index,
		}}
		h.net.Link(h, m.host).sendDatagram(&d, b)
	}
	return len(b), nil
}

// directedBroadcast returns the prefix whose directed broadcast address is
// a, or nil.
func (h *Host) directedBroadcast(a netip.Addr) *netip.Prefix {
	if !a.Is4() {
		return nil
	}
	for _, ifc := range h.ifaces[1:] {
		for i, p := range ifc.Prefixes {
			if p.Addr().Is4() && p.Bits() <= 30 && lastAddr(p) == a {
				return &ifc.Prefixes[i]
			}
		}
	}
	return nil
}

// broadcastIface picks the interface and subnet a broadcast to dst leaves
// through: the subnet whose directed broadcast dst is, else (for
// 255.255.255.255) the bound address's interface or the first IPv4
// interface, else loopback.
func (h *Host) broadcastIface(dst, bound netip.Addr) (*iface, netip.Prefix) {
	if p := h.directedBroadcast(dst); p != nil {
		return h.ifaceFor(p.Addr()), *p
	}
	for _, ifc := range h.ifaces[1:] {
		for _, p := range ifc.Prefixes {
			if p.Addr().Is4() && (bound.IsUnspecified() || p.Addr() == bound) {
				return ifc, p
			}
		}
	}
	return h.ifaces[0], h.ifaces[0].Prefixes[0]
}

// lastAddr returns the last address of an IPv4 prefix (its broadcast).
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// lanMember is one host's interface on a LAN.
type lanMember struct {
	host *Host
	ifc  *iface
}

// lan returns the interfaces on the same LAN as h's interface out: every
// host's non-loopback interface with a subnet in common with out
// (sorted by host name, h included). Loopback's LAN is h alone.
func (n *Network) lan(h *Host, out *iface) []lanMember {
	if out.Loopback {
		return []lanMember{{h, out}}
	}
	var ms []lanMember
	for _, other := range n.Hosts() {
		for _, ifc := range other.ifaces[1:] {
			if sameLAN(out, ifc) {
				ms = append(ms, lanMember{other, ifc})
			}
		}
	}
	return ms
}

func sameLAN(a, b *iface) bool {
	for _, pa := range a.Prefixes {
		for _, pb := range b.Prefixes {
			if pa.Masked() == pb.Masked() {
				return true
			}
		}
	}
	return false
}

// countDatagrams adds to the host's datagram counters.
func (h *Host) countDatagrams(sent, received, dropped uint64) {
	h.mu.Lock()
	h.stats.DatagramsSent += sent
	h.stats.DatagramsReceived += received
	h.stats.DatagramsDropped += dropped
	h.mu.Unlock()
}
