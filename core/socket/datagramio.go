package socket

import (
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// DatagramIO is the datagram side of a UDP socket's engine (QUdpSocket's
// own methods): udp.Socket embeds it next to the Engine.
type DatagramIO struct{ e *Engine }

// Datagrams returns the datagram methods of a UdpSocket engine (nil for
// other types).
func (e *Engine) Datagrams() *DatagramIO {
	if e.cfg.Type != UdpSocket {
		return nil
	}
	return &DatagramIO{e: e}
}

// textNoDatagram is Qt's text for a read with nothing pending.
const textNoDatagram = "No datagram available for reading"

func (io *DatagramIO) receiving() bool {
	s := io.e.State()
	return s == BoundState || s == ConnectedState
}

// HasPendingDatagrams reports whether a datagram waits to be read. It is
// false when the socket is neither bound nor connected.
func (io *DatagramIO) HasPendingDatagrams() bool {
	return io.e.CheckLoop() == nil && io.receiving() && len(io.e.dq) > 0
}

// PendingDatagramSize returns the size of the next datagram, -1 when there
// is none (0 is an empty datagram).
func (io *DatagramIO) PendingDatagramSize() int64 {
	if !io.HasPendingDatagrams() {
		return -1
	}
	return int64(len(io.e.dq[0].Data))
}

// ReadDatagram reads the next datagram: at most max bytes of it (the rest
// is dropped, as Qt and the system do), its sender's address and port.
// With none pending it fails with TemporaryError, "No datagram available
// for reading", and emits ErrorOccurred (as Qt).
func (io *DatagramIO) ReadDatagram(max int) (data []byte, sender netip.Addr, port int, err error) {
	dg, err := io.ReceiveDatagramN(max)
	if err != nil {
		return nil, netip.Addr{}, 0, err
	}
	return dg.Data, dg.SenderAddress, dg.SenderPort, nil
}

// ReceiveDatagram reads the next datagram whole, with its addressing
// (Qt's receiveDatagram); see ReadDatagram.
func (io *DatagramIO) ReceiveDatagram() (Datagram, error) { return io.ReceiveDatagramN(-1) }

// ReceiveDatagramN is ReceiveDatagram keeping at most max bytes of the
// data (max < 0: all).
func (io *DatagramIO) ReceiveDatagramN(max int) (Datagram, error) {
	e := io.e
	if err := e.CheckLoop(); err != nil {
		return invalidDatagram(), err
	}
	if !io.receiving() {
		return invalidDatagram(), e.refuse(transport.OperationError, "readDatagram",
			"readDatagram() called on a socket that is neither bound nor connected")
	}
	if len(e.dq) == 0 {
		return invalidDatagram(), e.failText(transport.TemporaryError, "readDatagram", textNoDatagram)
	}
	dg := e.dgRead()
	if max >= 0 && len(dg.Data) > max {
		dg.Data = dg.Data[:max:max]
	}
	return dg, nil
}

// WriteDatagram sends data as one datagram to addr and port and returns
// the bytes sent, emitting BytesWritten. An unbound socket is bound first
// (Any, a free port). Above the size limit it fails with
// DatagramTooLargeError (and ErrorOccurred, no BytesWritten). A
// zero-length datagram is legal and returns 0.
func (io *DatagramIO) WriteDatagram(data []byte, addr netip.Addr, port int) (int, error) {
	dg := NewDatagram(data, addr, port)
	return io.WriteNetworkDatagram(dg)
}

// WriteNetworkDatagram sends dg to its destination (Qt's writeDatagram of
// a QNetworkDatagram). A hop limit or interface other than the defaults
// needs a transport that can set them per datagram.
func (io *DatagramIO) WriteNetworkDatagram(dg Datagram) (int, error) {
	e := io.e
	if err := e.CheckLoop(); err != nil {
		return 0, err
	}
	if dg.DestinationPort < 0 || dg.DestinationPort > 65535 {
		return 0, e.failText(transport.UnsupportedSocketOperationError, "writeDatagram", textInvalidPort)
	}
	if !dg.DestinationAddress.IsValid() {
		return 0, e.failText(transport.SocketAddressNotAvailableError, "writeDatagram", textAddressNotAvail)
	}
	switch e.State() {
	case UnconnectedState:
		local := netip.AddrPortFrom(netip.IPv6Unspecified(), 0)
		if dg.DestinationAddress.Unmap().Is4() {
			local = netip.AddrPortFrom(netip.IPv4Unspecified(), 0)
		}
		if err := e.bindDatagram(local, transport.DefaultForPlatform); err != nil {
			return 0, e.fail(transport.CodeOf(err), "bind", err)
		}
		e.setState(BoundState)
	case BoundState, ConnectedState:
	default:
		return 0, e.refuse(transport.OperationError, "writeDatagram", "socket is "+e.State().String())
	}
	return e.sendDatagram(dg.Data, netip.AddrPortFrom(dg.DestinationAddress, uint16(dg.DestinationPort)),
		dg.HopLimit, dg.InterfaceIndex)
}

// sendDatagram sends one datagram (to the connected peer when dst is
// zero) and reports it: BytesWritten, or the error.
func (e *Engine) sendDatagram(b []byte, dst netip.AddrPort, hopLimit, ifIndex int) (int, error) {
	if e.dg == nil {
		return 0, e.refuse(transport.OperationError, "writeDatagram", "socket is not bound")
	}
	var n int
	var err error
	switch {
	case (hopLimit > 0 || ifIndex > 0) && dst.IsValid():
		mw, ok := e.dg.d.(transport.DatagramMetaWriter)
		if !ok {
			return 0, e.failText(transport.UnsupportedSocketOperationError, "writeDatagram",
				"the transport cannot set a hop limit or interface per datagram")
		}
		n, err = mw.WriteDatagramMeta(b, dst, hopLimit, ifIndex)
	case dst.IsValid():
		n, err = e.dg.d.WriteDatagram(b, dst)
	default:
		n, err = e.dg.d.Write(b)
	}
	if err != nil {
		code := transport.CodeOf(err)
		if code == transport.UnknownSocketError {
			code = transport.Classify(err)
		}
		return 0, e.fail(code, "writeDatagram", err)
	}
	e.BytesWritten.Emit(int64(n))
	return n, nil
}

// JoinMulticastGroup joins group on the interface named ifname ("" for
// the system's choice). The socket must be bound; an IPv4 group on a
// socket bound to the dual-stack Any is refused, as Qt does (bind to
// AnyIPv4 for IPv4 groups).
func (io *DatagramIO) JoinMulticastGroup(group netip.Addr, ifname string) error {
	return io.multicast("joinMulticastGroup", group, ifname, true)
}

// LeaveMulticastGroup leaves group on the interface named ifname.
func (io *DatagramIO) LeaveMulticastGroup(group netip.Addr, ifname string) error {
	return io.multicast("leaveMulticastGroup", group, ifname, false)
}

func (io *DatagramIO) multicast(op string, group netip.Addr, ifname string, join bool) error {
	e := io.e
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if e.State() != BoundState || e.dg == nil {
		return e.refuse(transport.OperationError, op, op+"() called on a QUdpSocket when not in BoundState")
	}
	// Qt refuses these without changing the socket's error.
	if !group.IsValid() || !group.Unmap().IsMulticast() {
		return e.refuse(transport.UnsupportedSocketOperationError, op, group.String()+" is not a multicast group")
	}
	local := e.local.Addr()
	if group.Unmap().Is4() && local.Is6() && (local.IsUnspecified() || !local.Is4In6()) {
		return e.refuse(transport.UnsupportedSocketOperationError, op,
			"an IPv4 group needs a socket bound to an IPv4 address (AnyIPv4), not Any or an IPv6 address")
	}
	if group.Is6() && !group.Is4In6() && local.Is4() {
		return e.refuse(transport.UnsupportedSocketOperationError, op,
			"an IPv6 group needs a socket bound to an IPv6 address")
	}
	var err error
	if join {
		err = e.dg.d.JoinGroup(group, ifname)
	} else {
		err = e.dg.d.LeaveGroup(group, ifname)
	}
	if err != nil {
		return e.fail(transport.CodeOf(err), op, err)
	}
	return nil
}

// SetMulticastInterface sends multicast datagrams through the interface
// named ifname ("" for the system's choice); it also applies to a socket
// bound later.
func (io *DatagramIO) SetMulticastInterface(ifname string) error {
	e := io.e
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if e.dg != nil {
		if err := e.dg.d.SetMulticastInterface(ifname); err != nil {
			return e.fail(transport.CodeOf(err), "setMulticastInterface", err)
		}
	}
	e.mcastIface = ifname
	return nil
}

// MulticastInterface returns the interface set by SetMulticastInterface.
func (io *DatagramIO) MulticastInterface() string { return io.e.mcastIface }
