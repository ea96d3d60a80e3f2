package transport

import (
	"errors"
	"fmt"
	"net/netip"
)

// NetworkLayerProtocol is Qt's QAbstractSocket::NetworkLayerProtocol: the
// kind of a HostAddress.
type NetworkLayerProtocol int

// The protocols, in Qt's order.
const (
	IPv4Protocol NetworkLayerProtocol = iota
	IPv6Protocol
	AnyIPProtocol
	UnknownNetworkLayerProtocol NetworkLayerProtocol = -1
)

// String returns the protocol's Qt name.
func (p NetworkLayerProtocol) String() string {
	switch p {
	case IPv4Protocol:
		return "IPv4Protocol"
	case IPv6Protocol:
		return "IPv6Protocol"
	case AnyIPProtocol:
		return "AnyIPProtocol"
	case UnknownNetworkLayerProtocol:
		return "UnknownNetworkLayerProtocol"
	}
	return fmt.Sprintf("NetworkLayerProtocol(%d)", int(p))
}

// HostAddress is Qt's QHostAddress: an IPv4 or IPv6 address (with an
// optional IPv6 scope id), the dual-stack Any address, or Null. It is a
// comparable value: == follows QHostAddress::operator== (Any equals only
// Any; 127.0.0.1 differs from ::ffff:127.0.0.1; 0.0.0.0 equals AnyIPv4)
// except that == also compares the scope id, which Qt ignores; Equal is
// Qt's operator== exactly. The zero value is Null.
type HostAddress struct {
	ip  netip.Addr // invalid for Null and Any; 4-byte for IPv4
	any bool       // Qt's dual-stack Any
}

// The special addresses of QHostAddress::SpecialAddress.
var (
	Null          = HostAddress{}
	Broadcast     = HostAddress{ip: netip.AddrFrom4([4]byte{255, 255, 255, 255})}
	LocalHost     = HostAddress{ip: netip.AddrFrom4([4]byte{127, 0, 0, 1})}
	LocalHostIPv6 = HostAddress{ip: netip.IPv6Loopback()}
	Any           = HostAddress{any: true}
	AnyIPv6       = HostAddress{ip: netip.IPv6Unspecified()}
	AnyIPv4       = HostAddress{ip: netip.IPv4Unspecified()}
)

// ErrInvalidHostAddress is wrapped by the error ParseHostAddress returns for
// text that QHostAddress::setAddress rejects.
var ErrInvalidHostAddress = errors.New("transport: invalid host address")

// HostAddressFrom returns a as a HostAddress, keeping its form: a 4-byte
// address is IPv4, a 16-byte one (IPv4-mapped too) IPv6, with its zone as
// the scope id. The invalid netip.Addr gives Null.
func HostAddressFrom(a netip.Addr) HostAddress {
	return HostAddress{ip: a}
}

// Addr returns the address as a netip.Addr (with the scope id as its
// zone). Null gives the invalid netip.Addr and Any gives "::", the address
// a dual-stack socket binds.
func (h HostAddress) Addr() netip.Addr {
	if h.any {
		return netip.IPv6Unspecified()
	}
	return h.ip
}

// Protocol returns the kind of address, as QHostAddress::protocol.
func (h HostAddress) Protocol() NetworkLayerProtocol {
	switch {
	case h.any:
		return AnyIPProtocol
	case h.ip.Is4():
		return IPv4Protocol
	case h.ip.Is6():
		return IPv6Protocol
	}
	return UnknownNetworkLayerProtocol
}

// Equal reports whether h and b are equal as QHostAddress::operator==
// says: like h == b, but ignoring IPv6 scope ids.
func (h HostAddress) Equal(b HostAddress) bool {
	return h.any == b.any && h.ip.WithZone("") == b.ip.WithZone("")
}

// IsNull reports whether h is Null, as QHostAddress::isNull.
func (h HostAddress) IsNull() bool { return h == Null }

// ScopeID returns the IPv6 scope id ("" when none), as
// QHostAddress::scopeId.
func (h HostAddress) ScopeID() string { return h.ip.Zone() }

// WithScopeID returns h with the IPv6 scope id id ("" removes it); IPv4,
// Any and Null addresses have no scope and are returned unchanged, as
// QHostAddress::setScopeId does.
func (h HostAddress) WithScopeID(id string) HostAddress {
	if !h.ip.Is6() {
		return h
	}
	return HostAddress{ip: h.ip.WithZone(id)}
}

// IsLoopback reports whether h is in 127.0.0.0/8 (also IPv4-mapped) or is
// ::1, as QHostAddress::isLoopback.
func (h HostAddress) IsLoopback() bool { return h.ip.Unmap().IsLoopback() }

// IsMulticast reports whether h is in 224.0.0.0/4 (also IPv4-mapped) or
// ff00::/8, as QHostAddress::isMulticast.
func (h HostAddress) IsMulticast() bool { return h.ip.Unmap().IsMulticast() }

// IsBroadcast reports whether h is 255.255.255.255 (also IPv4-mapped), as
// QHostAddress::isBroadcast.
func (h HostAddress) IsBroadcast() bool {
	return h.ip.IsValid() && h.ip.Unmap() == Broadcast.ip
}

// IsInSubnet reports whether h lies in the subnet of the given prefix
// length, as QHostAddress::isInSubnet: both must be of the same protocol
// (an IPv4-mapped address is not in an IPv4 subnet), a negative length is
// never matched, and a length beyond the address's width means all of it.
func (h HostAddress) IsInSubnet(subnet HostAddress, prefix int) bool {
	p := h.Protocol()
	if p != subnet.Protocol() || prefix < 0 || p == UnknownNetworkLayerProtocol {
		return false
	}
	if p == AnyIPProtocol {
		return true
	}
	prefix = min(prefix, h.ip.BitLen())
	net, err := subnet.ip.WithZone("").Prefix(prefix)
	if err != nil {
		return false
	}
	return net.Contains(h.ip.WithZone(""))
}

// IsInPrefix reports whether h lies in p (IsInSubnet with p's address and
// length).
func (h HostAddress) IsInPrefix(p netip.Prefix) bool {
	return h.IsInSubnet(HostAddressFrom(p.Addr()), p.Bits())
}
