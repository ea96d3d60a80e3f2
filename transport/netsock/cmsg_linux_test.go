//go:build linux

package netsock

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// cmsg builds one control message as the kernel lays it out.
func cmsg(level, typ int32, data []byte) []byte {
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
	return b
}

func int32Bytes(v int32) []byte { return binary.NativeEndian.AppendUint32(nil, uint32(v)) }

func TestParseCmsg(t *testing.T) {
	pkt4 := append(append(int32Bytes(3), 10, 0, 0, 9), 239, 1, 2, 3) // ifindex, spec_dst, addr
	v4 := append(cmsg(solIP, ipPktinfo, pkt4), cmsg(solIP, ipTTL, int32Bytes(7))...)
	assert.Equal(t, cmsgMeta{dst: netip.MustParseAddr("239.1.2.3"), hopLimit: 7, ifIndex: 3}, parseCmsg(v4))

	a6 := netip.MustParseAddr("ff02::1").As16()
	pkt6 := append(a6[:], int32Bytes(5)...)
	v6 := append(cmsg(solIPv6, ipv6Hoplimit, int32Bytes(1)), cmsg(solIPv6, ipv6Pktinfo, pkt6)...)
	assert.Equal(t, cmsgMeta{dst: netip.MustParseAddr("ff02::1"), hopLimit: 1, ifIndex: 5}, parseCmsg(v6))

	mapped := netip.MustParseAddr("::ffff:127.0.0.1").As16()
	got := parseCmsg(cmsg(solIPv6, ipv6Pktinfo, append(mapped[:], int32Bytes(1)...)))
	assert.Equal(t, netip.MustParseAddr("127.0.0.1"), got.dst, "v4-mapped destinations are unmapped")

	assert.Equal(t, cmsgMeta{hopLimit: -1}, parseCmsg(nil), "nothing given")
	unknown := cmsg(99, 1, []byte{1, 2, 3, 4})
	assert.Equal(t, cmsgMeta{hopLimit: -1}, parseCmsg(unknown), "unknown messages are skipped")
	short := cmsg(solIP, ipPktinfo, pkt4)[:cmsgHeaderSize+4]
	assert.Equal(t, cmsgMeta{hopLimit: -1}, parseCmsg(short), "a message longer than the buffer ends the walk")
	partial := append(cmsg(solIP, ipTTL, int32Bytes(9)), short...)
	assert.Equal(t, 9, parseCmsg(partial).hopLimit, "what came before a malformed message is kept")
}

// FuzzParseCmsg checks the allocation-free parser against x/net's on every
// buffer x/net accepts that holds only the socket family's messages (the
// Linux parser also reads the other family's, which x/net skips), and that
// it never panics on any buffer at all.
func FuzzParseCmsg(f *testing.F) {
	pkt4 := append(append(int32Bytes(3), 10, 0, 0, 9), 127, 0, 0, 1)
	f.Add(append(cmsg(solIP, ipPktinfo, pkt4), cmsg(solIP, ipTTL, int32Bytes(64))...), false)
	a6 := netip.IPv6Loopback().As16()
	f.Add(append(cmsg(solIPv6, ipv6Pktinfo, append(a6[:], int32Bytes(1)...)), cmsg(solIPv6, ipv6Hoplimit, int32Bytes(64))...), true)
	f.Add([]byte{}, false)
	f.Fuzz(func(t *testing.T, oob []byte, v6 bool) {
		got := parseCmsg(oob)
		other := int32(solIPv6)
		if v6 {
			other = solIP
		}
		if !xnetAccepts(oob, v6) || hasLevel(oob, other) {
			return
		}
		want := parseCmsgXNet(oob, v6)
		if want.hopLimit == 0 && got.hopLimit == -1 {
			want.hopLimit = -1 // x/net reports an absent TTL as 0
		}
		assert.Equal(t, want, got)
	})
}

// xnetAccepts reports whether x/net parses oob without an error.
func xnetAccepts(oob []byte, v6 bool) bool {
	if v6 {
		var cm ipv6.ControlMessage
		return cm.Parse(oob) == nil
	}
	var cm ipv4.ControlMessage
	return cm.Parse(oob) == nil
}

// hasLevel reports whether oob holds a whole message of level.
func hasLevel(oob []byte, level int32) bool {
	for len(oob) >= cmsgHeaderSize {
		n := int(readUint(oob))
		if n < cmsgHeaderSize || n > len(oob) {
			return false
		}
		if int32(binary.NativeEndian.Uint32(oob[cmsgAlign:])) == level {
			return true
		}
		next := (n + cmsgAlign - 1) &^ (cmsgAlign - 1)
		if next >= len(oob) {
			return false
		}
		oob = oob[next:]
	}
	return false
}
