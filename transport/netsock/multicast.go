package netsock

import (
	"net"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// lookupInterface finds an interface by name; "" gives nil (the system's
// choice).
func lookupInterface(name string) (*net.Interface, error) {
	if name == "" {
		return nil, nil
	}
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return nil, &transport.Error{Code: transport.SocketAddressNotAvailableError, Op: "interface", Addr: name, Err: err}
	}
	return ifi, nil
}

// groupArgs validates a multicast group and resolves the interface.
func (d *osDatagram) groupArgs(op string, group netip.Addr, ifname string) (*net.Interface, *net.UDPAddr, error) {
	group = group.Unmap()
	if !group.IsMulticast() {
		return nil, nil, transport.NewError(transport.SocketAddressNotAvailableError, op, group.String(), "not a multicast address")
	}
	if group.Is6() && !d.v6 {
		return nil, nil, transport.NewError(transport.UnsupportedSocketOperationError, op, group.String(), "IPv6 group on an IPv4 socket")
	}
	ifi, err := lookupInterface(ifname)
	if err != nil {
		return nil, nil, err
	}
	return ifi, &net.UDPAddr{IP: group.AsSlice()}, nil
}

// JoinGroup joins a multicast group on ifname ("" lets the system choose).
func (d *osDatagram) JoinGroup(group netip.Addr, ifname string) error {
	ifi, g, err := d.groupArgs("join", group, ifname)
	if err != nil {
		return err
	}
	if g.IP.To4() != nil {
		err = d.p4.JoinGroup(ifi, g)
	} else {
		err = d.p6.JoinGroup(ifi, g)
	}
	return transport.WrapError("join", group.String(), err)
}

// LeaveGroup leaves a multicast group joined on ifname.
func (d *osDatagram) LeaveGroup(group netip.Addr, ifname string) error {
	ifi, g, err := d.groupArgs("leave", group, ifname)
	if err != nil {
		return err
	}
	if g.IP.To4() != nil {
		err = d.p4.LeaveGroup(ifi, g)
	} else {
		err = d.p6.LeaveGroup(ifi, g)
	}
	return transport.WrapError("leave", group.String(), err)
}

// SetMulticastInterface picks the interface multicast datagrams leave by.
// On a dual-stack socket it is set for IPv4 groups too, where allowed.
func (d *osDatagram) SetMulticastInterface(ifname string) error {
	ifi, err := lookupInterface(ifname)
	if err != nil {
		return err
	}
	if d.v6 {
		err = d.p6.SetMulticastInterface(ifi)
		if d.local.Addr().IsUnspecified() {
			_ = d.p4.SetMulticastInterface(ifi) // best effort for IPv4 groups
		}
	} else {
		err = d.p4.SetMulticastInterface(ifi)
	}
	return transport.WrapError("setsockopt", ifname, err)
}

// SetOption sets one of Qt's socket options. LowDelayOption and
// KeepAliveOption do not apply to datagrams.
func (d *osDatagram) SetOption(opt transport.SocketOption, value int) error {
	var err error
	switch opt {
	case transport.MulticastTtlOption:
		if d.v6 {
			err = d.p6.SetMulticastHopLimit(value)
			if d.local.Addr().IsUnspecified() {
				_ = d.p4.SetMulticastTTL(value) // best effort for IPv4 groups
			}
		} else {
			err = d.p4.SetMulticastTTL(value)
		}
	case transport.MulticastLoopbackOption:
		if d.v6 {
			err = d.p6.SetMulticastLoopback(value != 0)
			if d.local.Addr().IsUnspecified() {
				_ = d.p4.SetMulticastLoopback(value != 0) // best effort
			}
		} else {
			err = d.p4.SetMulticastLoopback(value != 0)
		}
	case transport.LowDelayOption, transport.KeepAliveOption:
		err = errUnsupportedOS
	default:
		err = setIPOption(d.conn, d.raw, d.v6, opt, value)
	}
	return d.fail("setsockopt", d.local, err)
}

// Option reads one of Qt's socket options; boolean options read 0 or 1.
func (d *osDatagram) Option(opt transport.SocketOption) (int, error) {
	var v int
	var err error
	switch opt {
	case transport.MulticastTtlOption:
		if d.v6 {
			v, err = d.p6.MulticastHopLimit()
		} else {
			v, err = d.p4.MulticastTTL()
		}
	case transport.MulticastLoopbackOption:
		var on bool
		if d.v6 {
			on, err = d.p6.MulticastLoopback()
		} else {
			on, err = d.p4.MulticastLoopback()
		}
		v = boolInt(on)
	case transport.LowDelayOption, transport.KeepAliveOption:
		err = errUnsupportedOS
	default:
		v, err = ipOption(d.conn, d.raw, d.v6, opt)
	}
	return v, d.fail("getsockopt", d.local, err)
}
