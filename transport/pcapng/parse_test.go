package pcapng_test

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// block is one pcapng block as read back.
type block struct {
	typ  uint32
	body []byte
}

func parseBlocks(t *testing.T, b []byte) []block {
	t.Helper()
	var bs []block
	le := binary.LittleEndian
	for len(b) > 0 {
		if len(b) < 12 {
			t.Fatalf("%d trailing bytes", len(b))
		}
		typ, n := le.Uint32(b), le.Uint32(b[4:])
		if n%4 != 0 || n < 12 || int(n) > len(b) {
			t.Fatalf("block type %#x: bad length %d", typ, n)
		}
		if le.Uint32(b[n-4:]) != n {
			t.Fatalf("block type %#x: trailing length %d, want %d", typ, le.Uint32(b[n-4:]), n)
		}
		bs = append(bs, block{typ, b[8 : n-4]})
		b = b[n:]
	}
	return bs
}

// ones sums b as 16-bit words, folded: 0xffff for a valid checksum.
func ones(b ...[]byte) uint16 {
	var s uint32
	for _, p := range b {
		for i := 0; i+1 < len(p); i += 2 {
			s += uint32(p[i])<<8 | uint32(p[i+1])
		}
		if len(p)%2 == 1 {
			s += uint32(p[len(p)-1]) << 8
		}
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// TestParseBack reads the file back without tshark: block structure,
// timestamps in order, checksums, and the stream payload by connection.
func TestParseBack(t *testing.T) {
	tr := scenario(t)
	var buf bytes.Buffer
	n, err := tr.cap.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v; wrote %d", n, err, buf.Len())
	}
	bs := parseBlocks(t, buf.Bytes())
	le, be := binary.LittleEndian, binary.BigEndian
	if len(bs) < 2 || bs[0].typ != 0x0A0D0D0A || bs[1].typ != 1 {
		t.Fatalf("want a section header then an interface description, got %d blocks", len(bs))
	}
	if le.Uint32(bs[0].body) != 0x1A2B3C4D || le.Uint16(bs[0].body[4:]) != 1 {
		t.Fatalf("section header % x", bs[0].body)
	}
	if le.Uint16(bs[1].body) != 1 {
		t.Fatalf("link type %d, want 1 (Ethernet)", le.Uint16(bs[1].body))
	}
	if !bytes.Contains(bs[1].body, []byte{9, 0, 1, 0, 9}) {
		t.Fatalf("interface description without if_tsresol 9: % x", bs[1].body)
	}
	if len(bs)-2 != tr.cap.Len() {
		t.Fatalf("%d packet blocks, capture has %d packets", len(bs)-2, tr.cap.Len())
	}
	var last uint64
	payload := map[uint16]int{} // TCP payload by server port, retransmissions excepted
	seen := map[[2]uint32]bool{}
	var syn, rst, fin, udp, retrans int
	for i, bl := range bs[2:] {
		if bl.typ != 6 {
			t.Fatalf("block %d: type %#x, want an enhanced packet block", i+2, bl.typ)
		}
		ts := uint64(le.Uint32(bl.body[4:]))<<32 | uint64(le.Uint32(bl.body[8:]))
		if ts < last {
			t.Fatalf("packet %d: timestamp goes back", i)
		}
		last = ts
		caplen := le.Uint32(bl.body[12:])
		if caplen != le.Uint32(bl.body[16:]) {
			t.Fatalf("packet %d: captured %d of %d bytes", i, caplen, le.Uint32(bl.body[16:]))
		}
		fr := bl.body[20 : 20+caplen]
		if be.Uint16(fr[12:]) != 0x0800 {
			t.Fatalf("packet %d: ethertype %#x", i, be.Uint16(fr[12:]))
		}
		if !bytes.Equal(fr[8:12], fr[26:30]) {
			t.Fatalf("packet %d: source MAC % x not derived from %v", i, fr[6:12], fr[26:30])
		}
		ip := fr[14:]
		if ones(ip[:20]) != 0xffff {
			t.Fatalf("packet %d: bad IPv4 header checksum", i)
		}
		if int(be.Uint16(ip[2:])) != len(ip) {
			t.Fatalf("packet %d: IP length %d, frame has %d", i, be.Uint16(ip[2:]), len(ip))
		}
		seg := ip[20:]
		pseudo := append(append([]byte{}, ip[12:20]...), 0, ip[9], byte(len(seg)>>8), byte(len(seg)))
		if ones(pseudo, seg) != 0xffff {
			t.Fatalf("packet %d: bad transport checksum", i)
		}
		if ip[9] == 17 {
			udp++
			continue
		}
		flags := seg[13]
		switch {
		case flags&0x02 != 0:
			syn++
		case flags&0x04 != 0:
			rst++
		case flags&0x01 != 0:
			fin++
		}
		data := seg[int(seg[12]>>4)*4:]
		if len(data) == 0 {
			continue
		}
		key := [2]uint32{be.Uint32(seg[0:]), be.Uint32(seg[4:])}
		if seen[key] {
			retrans++
			continue
		}
		seen[key] = true
		port := be.Uint16(seg[2:])
		if port > 1000 {
			port = be.Uint16(seg[0:])
		}
		payload[port] += len(data)
	}
	if syn != 6 || rst != 1 || fin != 4 || udp != tr.datagrams {
		t.Errorf("SYN %d RST %d FIN %d UDP %d, want 6, 1, 4, %d", syn, rst, fin, udp, tr.datagrams)
	}
	if retrans != tr.retransmits {
		t.Errorf("%d retransmitted segments, the tap saw %d lost", retrans, tr.retransmits)
	}
	if want := map[uint16]int{7: 12, 9: bulkSize}; payload[7] != want[7] || payload[9] != want[9] || len(payload) != 2 {
		t.Errorf("payload by port %v, want %v", payload, want)
	}
}
