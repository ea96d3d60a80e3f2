package netsock

import (
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

var _ transport.DatagramMetaWriter = (*osDatagram)(nil)

// WriteDatagramMeta sends b to dst with its own hop limit (IPv4 TTL,
// IPv6 hop limit; multicast too) and leaving by the interface of index
// ifIndex, through sendmsg(2) control messages (IP_TTL and IP_PKTINFO,
// IPV6_HOPLIMIT and IPV6_PKTINFO). A value ≤ 0 keeps the socket's
// default. Elsewhere than Linux an IPv4 TTL per datagram is not
// available (UnsupportedSocketOperationError).
func (d *osDatagram) WriteDatagramMeta(b []byte, dst netip.AddrPort, hopLimit, ifIndex int) (int, error) {
	dst = unmapAddrPort(dst)
	if err := checkSend(b, dst); err != nil {
		return 0, err
	}
	if hopLimit > 255 {
		return 0, transport.NewError(transport.UnsupportedSocketOperationError, "write", dst.String(),
			"a hop limit above 255")
	}
	oob, err := sendCmsg(dst.Addr().Is4(), hopLimit, ifIndex)
	if err != nil {
		return 0, &transport.Error{Code: transport.UnsupportedSocketOperationError, Op: "write", Addr: dst.String(), Err: err}
	}
	n, _, err := d.conn.WriteMsgUDPAddrPort(b, oob, dst)
	return n, d.fail("write", dst, err)
}
