//go:build linux

package netsock

import (
	"encoding/binary"
	"net/netip"
	"unsafe"
)

// Linux's control-message constants for the metadata a datagram socket
// asks for (IP_PKTINFO, IP_TTL, IPV6_PKTINFO, IPV6_HOPLIMIT).
const (
	solIP          = 0
	solIPv6        = 41
	ipPktinfo      = 8
	ipTTL          = 2
	ipv6Pktinfo    = 50
	ipv6Hoplimit   = 52
	cmsgHeaderSize = int(unsafe.Sizeof(cmsghdr{}))
	cmsgAlign      = int(unsafe.Sizeof(uintptr(0)))
)

// cmsghdr is struct cmsghdr: the length covers the header and the data.
type cmsghdr struct {
	Len   uint
	Level int32
	Type  int32
}

// parseCmsg reads the destination address, hop limit and interface index
// out of recvmsg's control messages without allocating (x/net's parser
// allocates a fresh net.IP per datagram). Unknown messages are skipped; a
// malformed buffer ends the walk and keeps what was read before it.
func parseCmsg(oob []byte) (m cmsgMeta) {
	m.hopLimit = -1
	for len(oob) >= cmsgHeaderSize {
		n := int(readUint(oob))
		if n < cmsgHeaderSize || n > len(oob) {
			return m
		}
		level := int32(binary.NativeEndian.Uint32(oob[cmsgAlign:]))
		typ := int32(binary.NativeEndian.Uint32(oob[cmsgAlign+4:]))
		m.apply(level, typ, oob[cmsgHeaderSize:n])
		next := (n + cmsgAlign - 1) &^ (cmsgAlign - 1)
		if next >= len(oob) {
			return m
		}
		oob = oob[next:]
	}
	return m
}

// readUint reads cmsg_len, a size_t in native byte order.
func readUint(b []byte) uint64 {
	if cmsgAlign == 8 {
		return binary.NativeEndian.Uint64(b)
	}
	return uint64(binary.NativeEndian.Uint32(b))
}

// apply takes one message's data.
func (m *cmsgMeta) apply(level, typ int32, data []byte) {
	switch {
	case level == solIP && typ == ipPktinfo && len(data) >= 12:
		// struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }
		m.ifIndex = int(int32(binary.NativeEndian.Uint32(data)))
		m.dst = netip.AddrFrom4([4]byte(data[8:12]))
	case level == solIP && typ == ipTTL && len(data) >= 4:
		m.hopLimit = int(binary.NativeEndian.Uint32(data))
	case level == solIPv6 && typ == ipv6Pktinfo && len(data) >= 20:
		// struct in6_pktinfo { in6_addr addr; int ifindex; }
		m.dst = netip.AddrFrom16([16]byte(data[:16])).Unmap()
		m.ifIndex = int(int32(binary.NativeEndian.Uint32(data[16:])))
	case level == solIPv6 && typ == ipv6Hoplimit && len(data) >= 4:
		m.hopLimit = int(binary.NativeEndian.Uint32(data))
	}
}

// haveCmsgParser says parseCmsg understands this system's messages.
const haveCmsgParser = true
