package core

import (
	"fmt"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// WriteHostAddress writes h as QHostAddress: its protocol as a qint8
// (IPv4 0, IPv6 1, Any 2, Null −1), then a quint32 for IPv4, or the 16
// bytes and the scope id as a QString (null when there is none) for IPv6;
// nothing more for Any and Null.
func (ds *DataStream) WriteHostAddress(h transport.HostAddress) {
	p := h.Protocol()
	ds.WriteInt8(int8(p))
	switch p {
	case transport.IPv4Protocol:
		a := h.Addr().As4()
		ds.put32(uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]))
	case transport.IPv6Protocol:
		a := h.Addr().As16()
		ds.WriteRawData(a[:])
		ds.WriteNullString(NullString{String: h.ScopeID(), Valid: h.ScopeID() != ""})
	}
}

// ReadHostAddress reads a QHostAddress; an unknown protocol sets
// StatusReadCorruptData, as in Qt.
func (ds *DataStream) ReadHostAddress() transport.HostAddress {
	p := transport.NetworkLayerProtocol(ds.ReadInt8())
	if ds.status != StatusOk && ds.txDepth > 0 {
		return transport.Null
	}
	switch p {
	case transport.UnknownNetworkLayerProtocol:
		return transport.Null
	case transport.AnyIPProtocol:
		return transport.Any
	case transport.IPv4Protocol:
		v := ds.get32()
		return transport.HostAddressFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}))
	case transport.IPv6Protocol:
		var a [16]byte
		ds.readInto(a[:])
		scope := ds.ReadString()
		return transport.HostAddressFrom(netip.AddrFrom16(a)).WithScopeID(scope)
	}
	ds.fail(StatusReadCorruptData, fmt.Sprintf("QHostAddress protocol %d", int(p)), nil)
	return transport.Null
}
