package transport

import (
	"net"
	"net/netip"
	"time"
)

// PacketConn adapts a Datagram to net.PacketConn. As with *net.UDPConn, a
// datagram longer than the ReadFrom buffer is truncated silently.
// Addresses are *net.UDPAddr; WriteTo also accepts any net.Addr whose
// String is "ip:port".
func PacketConn(d Datagram) net.PacketConn { return &packetConn{d: d} }

// DatagramConn adapts a connected Datagram (after Connect) to net.Conn:
// Read receives one datagram from the peer, Write sends one. The result
// also implements net.PacketConn, which is how package net's resolver
// knows to frame DNS messages as UDP.
func DatagramConn(d Datagram) net.Conn { return &datagramConn{packetConn{d: d}} }

var (
	_ net.PacketConn = (*packetConn)(nil)
	_ net.Conn       = (*datagramConn)(nil)
	_ net.PacketConn = (*datagramConn)(nil)
)

type packetConn struct{ d Datagram }

// ReadFrom reads one datagram and its sender.
func (c *packetConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, meta, err := c.d.ReadDatagram(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(meta.Src), nil
}

// WriteTo sends b as one datagram to addr.
func (c *packetConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	dst, err := addrPortOf(addr)
	if err != nil {
		return 0, err
	}
	return c.d.WriteDatagram(b, dst)
}

// addrPortOf converts a net.Addr to a netip.AddrPort.
func addrPortOf(addr net.Addr) (netip.AddrPort, error) {
	switch a := addr.(type) {
	case *net.UDPAddr:
		return a.AddrPort(), nil
	case nil:
		return netip.AddrPort{}, NewError(SocketAddressNotAvailableError, "write", "", "nil address")
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return netip.AddrPort{}, &Error{Code: SocketAddressNotAvailableError, Op: "write", Addr: addr.String(), Err: err}
	}
	return ap, nil
}

// Close closes the datagram socket.
func (c *packetConn) Close() error { return c.d.Close() }

// LocalAddr returns the bound address as a *net.UDPAddr.
func (c *packetConn) LocalAddr() net.Addr { return net.UDPAddrFromAddrPort(c.d.LocalAddrPort()) }

// SetDeadline sets the read and write deadlines.
func (c *packetConn) SetDeadline(t time.Time) error { return c.d.SetDeadline(t) }

// SetReadDeadline sets the read deadline.
func (c *packetConn) SetReadDeadline(t time.Time) error { return c.d.SetReadDeadline(t) }

// SetWriteDeadline sets the write deadline.
func (c *packetConn) SetWriteDeadline(t time.Time) error { return c.d.SetWriteDeadline(t) }

// datagramConn is a connected Datagram as a net.Conn and net.PacketConn.
type datagramConn struct{ packetConn }

// Read reads one datagram from the connected peer.
func (c *datagramConn) Read(b []byte) (int, error) {
	n, _, err := c.d.ReadDatagram(b)
	return n, err
}

// Write sends b to the connected peer as one datagram.
func (c *datagramConn) Write(b []byte) (int, error) { return c.d.Write(b) }

// RemoteAddr returns the connected peer as a *net.UDPAddr (nil if none).
func (c *datagramConn) RemoteAddr() net.Addr {
	ap := c.d.RemoteAddrPort()
	if !ap.IsValid() {
		return nil
	}
	return net.UDPAddrFromAddrPort(ap)
}
