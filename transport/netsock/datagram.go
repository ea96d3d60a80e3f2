package netsock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"go.uber.org/zap"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"github.com/slotnet/slotnet/transport"
)

// Largest UDP payloads. IPv4's 16-bit total length covers its 20-byte
// header and the 8-byte UDP header; IPv6's payload length covers only the
// UDP header.
const (
	maxDatagramIPv4 = 65507
	maxDatagramIPv6 = 65527
)

// osDatagram is a Datagram over a *net.UDPConn. Control messages give
// each datagram's destination address, TTL / hop limit and interface.
type osDatagram struct {
	conn  *net.UDPConn
	raw   syscall.RawConn
	local netip.AddrPort
	v6    bool // the socket is AF_INET6 (possibly dual-stack)
	p4    *ipv4.PacketConn
	p6    *ipv6.PacketConn // nil unless v6

	mu       sync.Mutex     // guards remote and kernelOK
	remote   netip.AddrPort // the connected peer, zero if none
	kernelOK bool           // the kernel socket is connected too

	oobs sync.Pool // of *[]byte control-message buffers, one per concurrent read
}

var _ transport.Datagram = (*osDatagram)(nil)

// BindDatagram opens a UDP socket on local. The zero address binds every
// address, dual-stack where the system allows it. opts.Mode:
// ShareAddress → SO_REUSEADDR, plus SO_REUSEPORT on Linux, so several
// sockets on one port all receive multicast and broadcast (a unicast
// datagram reaches one of them); ReuseAddressHint → SO_REUSEADDR;
// DontShareAddress → exclusive. SO_BROADCAST follows opts.Broadcast
// (package net's default is on). A multicast group as local address binds
// the wildcard address on that port, as package net does; join the group
// to receive it.
func (o *Transport) BindDatagram(ctx context.Context, local netip.AddrPort, opts transport.BindOptions) (transport.Datagram, error) {
	local = unmapAddrPort(local)
	lc := net.ListenConfig{Control: bindControl(opts.Mode, true, opts.RecvBuf, 0)}
	pc, err := lc.ListenPacket(ctx, ipNetwork("udp", local.Addr()), hostPort(local))
	if err != nil {
		return nil, transport.WrapError("bind", local.String(), err)
	}
	d, err := newOSDatagram(pc.(*net.UDPConn), opts)
	if err != nil {
		pc.Close()
		return nil, transport.WrapError("bind", local.String(), err)
	}
	o.logger().Debug("bound", zap.Stringer("local", d.local), zap.Bool("broadcast", opts.Broadcast))
	return d, nil
}

func newOSDatagram(c *net.UDPConn, opts transport.BindOptions) (*osDatagram, error) {
	d := &osDatagram{conn: c, local: udpAddrPort(c.LocalAddr()), p4: ipv4.NewPacketConn(c)}
	d.v6 = !d.local.Addr().Is4()
	var err error
	if d.raw, err = c.SyscallConn(); err != nil {
		return nil, err
	}
	if err := setIfSupported(d.raw, solSocket, soBroadcast, boolInt(opts.Broadcast)); err != nil {
		return nil, err
	}
	if d.v6 {
		d.p6 = ipv6.NewPacketConn(c)
		err = d.p6.SetControlMessage(ipv6.FlagDst|ipv6.FlagInterface|ipv6.FlagHopLimit, true)
	} else {
		err = d.p4.SetControlMessage(ipv4.FlagDst|ipv4.FlagInterface|ipv4.FlagTTL, true)
	}
	if err != nil && !errors.Is(err, syscall.EOPNOTSUPP) {
		return nil, err
	}
	if opts.Interface != "" {
		if err := d.SetMulticastInterface(opts.Interface); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// udpAddrPort converts a *net.UDPAddr to an unmapped netip.AddrPort.
func udpAddrPort(a net.Addr) netip.AddrPort {
	if ua, ok := a.(*net.UDPAddr); ok {
		return unmapAddrPort(ua.AddrPort())
	}
	return netip.AddrPort{}
}

func (d *osDatagram) fail(op string, addr netip.AddrPort, err error) error {
	if err == nil {
		return nil
	}
	s := ""
	if addr.IsValid() {
		s = addr.String()
	}
	return transport.WrapError(op, s, err)
}

// peer returns the connected peer and whether the kernel filters for it.
func (d *osDatagram) peer() (netip.AddrPort, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.remote, d.kernelOK
}

// ReadDatagram reads one datagram. On a connected socket datagrams from
// other senders (already queued before Connect) are dropped.
func (d *osDatagram) ReadDatagram(b []byte) (int, transport.DatagramMeta, error) {
	oob := d.oobBuffer()
	defer d.oobs.Put(oob)
	for {
		n, oobn, flags, src, err := d.conn.ReadMsgUDPAddrPort(b, *oob)
		if err != nil {
			return 0, transport.DatagramMeta{}, d.fail("read", d.local, err)
		}
		meta := d.parseMeta((*oob)[:oobn], flags, src)
		if remote, _ := d.peer(); remote.IsValid() && !samePeer(meta.Src, remote) {
			continue
		}
		return n, meta, nil
	}
}

// samePeer compares two endpoints ignoring IPv6 zones, which the kernel
// and the caller may spell differently.
func samePeer(a, b netip.AddrPort) bool {
	return a.Port() == b.Port() && a.Addr().WithZone("") == b.Addr().WithZone("")
}

// oobBuffer returns a control-message buffer big enough for the metadata
// the socket asks for; reads reuse them, so a read allocates nothing.
func (d *osDatagram) oobBuffer() *[]byte {
	if b, ok := d.oobs.Get().(*[]byte); ok {
		return b
	}
	var b []byte
	if d.v6 {
		b = ipv6.NewControlMessage(ipv6.FlagDst | ipv6.FlagInterface | ipv6.FlagHopLimit)
	} else {
		b = ipv4.NewControlMessage(ipv4.FlagDst | ipv4.FlagInterface | ipv4.FlagTTL)
	}
	return &b
}

// parseMeta fills a DatagramMeta from recvmsg's results.
func (d *osDatagram) parseMeta(oob []byte, flags int, src netip.AddrPort) transport.DatagramMeta {
	meta := transport.DatagramMeta{Src: unmapAddrPort(src), HopLimit: -1, Truncated: flags&msgTrunc != 0}
	if len(oob) == 0 {
		return meta
	}
	cm := d.parseControl(oob)
	meta.HopLimit, meta.IfIndex = cm.hopLimit, cm.ifIndex
	if cm.dst.IsValid() {
		meta.Dst = netip.AddrPortFrom(cm.dst.Unmap(), d.local.Port())
	}
	return meta
}

// parseControl reads the control messages: with this package's own
// allocation-free parser on Linux, with x/net's elsewhere.
func (d *osDatagram) parseControl(oob []byte) cmsgMeta {
	if haveCmsgParser {
		return parseCmsg(oob)
	}
	return parseCmsgXNet(oob, d.v6)
}

// parseCmsgXNet parses control messages with x/net (allocates).
func parseCmsgXNet(oob []byte, v6 bool) cmsgMeta {
	m := cmsgMeta{hopLimit: -1}
	var dst net.IP
	if v6 {
		var cm ipv6.ControlMessage
		if cm.Parse(oob) != nil {
			return m
		}
		dst, m.hopLimit, m.ifIndex = cm.Dst, cm.HopLimit, cm.IfIndex
	} else {
		var cm ipv4.ControlMessage
		if cm.Parse(oob) != nil {
			return m
		}
		dst, m.hopLimit, m.ifIndex = cm.Dst, cm.TTL, cm.IfIndex
	}
	if a, ok := netip.AddrFromSlice(dst); ok {
		m.dst = a.Unmap()
	}
	return m
}

// checkSize rejects a payload no UDP datagram to dst can carry.
func checkSize(b []byte, dst netip.Addr) error {
	limit := maxDatagramIPv6
	if dst.Is4() {
		limit = maxDatagramIPv4
	}
	if len(b) > limit {
		return &transport.Error{Code: transport.DatagramTooLargeError, Op: "write", Addr: dst.String(),
			Err: fmt.Errorf("payload of %d bytes exceeds the %d-byte UDP limit", len(b), limit)}
	}
	return nil
}

// WriteDatagram sends b to dst as one datagram.
func (d *osDatagram) WriteDatagram(b []byte, dst netip.AddrPort) (int, error) {
	dst = unmapAddrPort(dst)
	if err := checkSend(b, dst); err != nil {
		return 0, err
	}
	n, err := d.conn.WriteToUDPAddrPort(b, dst)
	return n, d.fail("write", dst, err)
}

// checkSend refuses what no send to dst may carry: an invalid address,
// port 0 (sendto(2) says EINVAL; Qt 5 reports NetworkError) or a payload
// over the UDP limit.
func checkSend(b []byte, dst netip.AddrPort) error {
	if !dst.Addr().IsValid() {
		return transport.NewError(transport.SocketAddressNotAvailableError, "write", dst.String(), "invalid destination address")
	}
	if dst.Port() == 0 {
		return transport.NewError(transport.NetworkError, "write", dst.String(), "port 0 is not a destination")
	}
	return checkSize(b, dst.Addr())
}

// Connect connects the socket to remote: the kernel socket is connected
// with connect(2) on its descriptor (so ICMP errors come back as
// ConnectionRefusedError and the kernel drops other senders), and reads
// also drop datagrams from other senders that were queued before.
func (d *osDatagram) Connect(remote netip.AddrPort) error {
	remote = unmapAddrPort(remote)
	if !remote.Addr().IsValid() || remote.Port() == 0 {
		return transport.NewError(transport.SocketAddressNotAvailableError, "connect", remote.String(), "invalid remote address")
	}
	err := connectFD(d.raw, remote, d.v6)
	kernelOK := err == nil
	if err != nil && !errors.Is(err, errUnsupportedOS) {
		return d.fail("connect", remote, err)
	}
	d.mu.Lock()
	d.remote, d.kernelOK = remote, kernelOK
	d.mu.Unlock()
	return nil
}

// Write sends b to the connected peer.
func (d *osDatagram) Write(b []byte) (int, error) {
	remote, kernelOK := d.peer()
	if !remote.IsValid() {
		return 0, &transport.Error{Code: transport.OperationError, Op: "write", Err: errNotConnected}
	}
	if err := checkSize(b, remote.Addr()); err != nil {
		return 0, err
	}
	if !kernelOK {
		return d.WriteDatagram(b, remote)
	}
	n, err := d.conn.Write(b)
	return n, d.fail("write", remote, err)
}

// LocalAddrPort returns the bound address.
func (d *osDatagram) LocalAddrPort() netip.AddrPort { return d.local }

// RemoteAddrPort returns the connected peer, or the zero value.
func (d *osDatagram) RemoteAddrPort() netip.AddrPort {
	remote, _ := d.peer()
	return remote
}

// SetDeadline sets the read and write deadlines.
func (d *osDatagram) SetDeadline(t time.Time) error {
	return d.fail("set deadline", d.local, d.conn.SetDeadline(t))
}

// SetReadDeadline sets the deadline for ReadDatagram.
func (d *osDatagram) SetReadDeadline(t time.Time) error {
	return d.fail("set deadline", d.local, d.conn.SetReadDeadline(t))
}

// SetWriteDeadline sets the deadline for WriteDatagram and Write.
func (d *osDatagram) SetWriteDeadline(t time.Time) error {
	return d.fail("set deadline", d.local, d.conn.SetWriteDeadline(t))
}

// Close closes the socket, unblocking pending reads and writes.
func (d *osDatagram) Close() error { return d.fail("close", d.local, d.conn.Close()) }
