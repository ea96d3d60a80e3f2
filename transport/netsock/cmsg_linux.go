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

// sendCmsg builds the control messages that give one sent datagram its
// hop limit and outgoing interface (values ≤ 0 are left out). An IPv4
// destination takes SOL_IP messages, also on a dual-stack socket, whose
// sends to v4-mapped addresses Linux hands to IPv4 with its messages.
func sendCmsg(v4 bool, hopLimit, ifIndex int) ([]byte, error) {
	var oob []byte
	if hopLimit > 0 {
		typ := int32(ipv6Hoplimit)
		level := int32(solIPv6)
		if v4 {
			level, typ = solIP, ipTTL
		}
		oob = appendCmsg(oob, level, typ, binary.NativeEndian.AppendUint32(nil, uint32(hopLimit)))
	}
	if ifIndex > 0 {
		idx := binary.NativeEndian.AppendUint32(nil, uint32(ifIndex))
		if v4 { // struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }
			oob = appendCmsg(oob, solIP, ipPktinfo, append(idx, make([]byte, 8)...))
		} else { // struct in6_pktinfo { in6_addr addr; int ifindex; }
			oob = appendCmsg(oob, solIPv6, ipv6Pktinfo, append(make([]byte, 16), idx...))
		}
	}
	return oob, nil
}

// appendCmsg appends one control message, padded to the alignment.
func appendCmsg(oob []byte, level, typ int32, data []byte) []byte {
	n := cmsgHeaderSize + len(data)
	b := make([]byte, (n+cmsgAlign-1)&^(cmsgAlign-1))
	if cmsgAlign == 8 {
		binary.NativeEndian.PutUint64(b, uint64(n))
	} else {
		binary.NativeEndian.PutUint32(b, uint32(n))
	}
	binary.NativeEndian.PutUint32(b[cmsgAlign:], uint32(level))
	binary.NativeEndian.PutUint32(b[cmsgAlign+4:], uint32(typ))
	copy(b[cmsgHeaderSize:], data)
	return append(oob, b...)
}
