package mem

import (
	"net/netip"
	"strconv"

	"github.com/slotnet/slotnet/transport"
)

var _ transport.DatagramMetaWriter = (*DatagramSocket)(nil)

// WriteDatagramMeta sends b to dst as WriteDatagram does, with its own
// hop limit and outgoing interface (QNetworkDatagram's hopLimit and
// interfaceIndex; values ≤ 0 keep the socket's defaults). The hop limit is
// the TTL the receivers see (for multicast too: 0 keeps a multicast
// datagram on the host); the interface, found by its index
// (transport.Interface.Index) or SocketAddressNotAvailableError, is the
// one a multicast datagram leaves by. Unicast and broadcast are routed by
// their address, as before.
func (s *DatagramSocket) WriteDatagramMeta(b []byte, dst netip.AddrPort, hopLimit, ifIndex int) (int, error) {
	o, err := s.sendState("write")
	if err != nil {
		return 0, err
	}
	if hopLimit > 255 {
		return 0, &transport.Error{Code: transport.UnsupportedSocketOperationError, Op: "write", Addr: dst.String(),
			Err: errHopLimit}
	}
	if hopLimit > 0 {
		o.ttl, o.mcastTTL = hopLimit, hopLimit
	}
	if ifIndex > 0 {
		ifc := s.host.ifaceByIndex(ifIndex)
		if ifc == nil {
			return 0, noSuchIface("write", "#"+strconv.Itoa(ifIndex))
		}
		o.mcastIf = ifc
	}
	return s.send(b, dst, o)
}

// ifaceByIndex finds one of the host's interfaces by its index.
func (h *Host) ifaceByIndex(index int) *iface {
	for _, ifc := range h.ifaces {
		if ifc.Index == index {
			return ifc
		}
	}
	return nil
}
