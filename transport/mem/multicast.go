package mem

import (
	"errors"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// membership is one (group, interface) a socket joined.
type membership struct {
	group   netip.Addr
	ifIndex int
}

var (
	errNotGroup    = errors.New("not a multicast group address")
	errJoined      = errors.New("already a member of the group on this interface")
	errNotMember   = errors.New("not a member of the group on this interface")
	errGroupFamily = errors.New("group family does not match the socket's")
	errNoMulticast = errors.New("interface does not support multicast")
)

// JoinGroup makes the socket a member of group on the named interface
// ("" is the host's first non-loopback interface, or loopback if it has
// none; "lo" is allowed). The socket then receives datagrams sent to the
// group on its bound port that arrive on that interface. Membership is per
// socket: every socket that wants a group's datagrams joins it, and each
// gets its own copy. Joining twice gives AddressInUseError; a
// non-multicast address or an unknown interface gives
// SocketAddressNotAvailableError.
func (s *DatagramSocket) JoinGroup(group netip.Addr, ifname string) error {
	m, err := s.membershipFor("join", group, ifname)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return closedErr("join")
	}
	for _, g := range s.groups {
		if g == m {
			return &transport.Error{Code: transport.AddressInUseError, Op: "join", Addr: group.String(), Err: errJoined}
		}
	}
	s.groups = append(s.groups, m)
	return nil
}

// LeaveGroup ends a membership JoinGroup made; leaving a group not joined
// on that interface gives SocketAddressNotAvailableError.
func (s *DatagramSocket) LeaveGroup(group netip.Addr, ifname string) error {
	m, err := s.membershipFor("leave", group, ifname)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return closedErr("leave")
	}
	for i, g := range s.groups {
		if g == m {
			s.groups = append(s.groups[:i:i], s.groups[i+1:]...)
			return nil
		}
	}
	return &transport.Error{Code: transport.SocketAddressNotAvailableError, Op: "leave", Addr: group.String(), Err: errNotMember}
}

// membershipFor validates a join or leave.
func (s *DatagramSocket) membershipFor(op string, group netip.Addr, ifname string) (membership, error) {
	group = group.Unmap()
	if !group.IsMulticast() {
		return membership{}, &transport.Error{Code: transport.SocketAddressNotAvailableError, Op: op, Addr: group.String(), Err: errNotGroup}
	}
	if b := s.bound.Addr(); b.Is4() != group.Is4() && !(b.Is6() && b.IsUnspecified()) {
		return membership{}, &transport.Error{Code: transport.NetworkError, Op: op, Addr: group.String(), Err: errGroupFamily}
	}
	ifc, err := s.host.multicastIface(op, ifname)
	if err != nil {
		return membership{}, err
	}
	return membership{group: group, ifIndex: ifc.Index}, nil
}

// multicastIface resolves an interface name for multicast use.
func (h *Host) multicastIface(op, ifname string) (*iface, error) {
	if ifname == "" {
		return h.defaultIface(), nil
	}
	ifc := h.ifaceByName(ifname)
	if ifc == nil {
		return nil, noSuchIface(op, ifname)
	}
	if !ifc.Multicast {
		return nil, &transport.Error{Code: transport.UnsupportedSocketOperationError, Op: op, Addr: ifname, Err: errNoMulticast}
	}
	return ifc, nil
}

// defaultIface is the interface multicast uses unless told otherwise: the
// first non-loopback one, else loopback.
func (h *Host) defaultIface() *iface {
	if len(h.ifaces) > 1 {
		return h.ifaces[1]
	}
	return h.ifaces[0]
}

func (s *DatagramSocket) joinedLocked(group netip.Addr, ifIndex int) bool {
	for _, g := range s.groups {
		if g.group == group && g.ifIndex == ifIndex {
			return true
		}
	}
	return false
}

// SetMulticastInterface picks the interface multicast datagrams leave
// through ("" restores the default).
func (s *DatagramSocket) SetMulticastInterface(ifname string) error {
	var ifc *iface
	if ifname != "" {
		var err error
		if ifc, err = s.host.multicastIface("set multicast interface", ifname); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return closedErr("set multicast interface")
	}
	s.opts.mcastIf = ifc
	return nil
}

// sendMulticast delivers to the group's members in scope. The model has no
// multicast routers: TTL 0 reaches only the sending host, TTL 1 and more
// reach every host on the outgoing interface's LAN (every interface with
// a subnet in common with it). The sending host's own members get a copy
// unless MulticastLoopbackOption is 0; via loopback the group reaches only
// the sending host.
func (s *DatagramSocket) sendMulticast(b []byte, dst netip.AddrPort, o sendOpts) (int, error) {
	h := s.host
	out := o.mcastIf
	if out == nil {
		out = h.defaultIface()
	}
	if err := checkSize(len(b), out.MTU, dst); err != nil {
		return 0, err
	}
	src := s.srcFor(dst.Addr(), func() netip.Addr { return out.addrFor(dst.Addr(), h) })
	h.countDatagrams(1, 0, 0)
	for _, m := range h.net.lan(h, out) {
		local := m.host == h
		if local && !o.mcastLoop && !out.Loopback || !local && o.mcastTTL < 1 {
			continue
		}
		d := delivery{kind: kindMulticast, to: m.host, ifc: m.ifc, meta: transport.DatagramMeta{
			Src: src, Dst: dst, HopLimit: o.mcastTTL, IfIndex: m.ifc.Index,
		}}
		h.net.Link(h, m.host).sendDatagram(&d, b)
	}
	return len(b), nil
}

// addrFor returns the interface's first address of dst's family, else h's
// source address for dst.
func (ifc *iface) addrFor(dst netip.Addr, h *Host) netip.Addr {
	for _, p := range ifc.Prefixes {
		if p.Addr().Is4() == dst.Is4() {
			return p.Addr()
		}
	}
	return h.sourceFor(dst)
}
