package pcapng

import (
	"encoding/binary"
	"hash/fnv"
	"net/netip"
	"sort"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// Capture records the traffic of an in-memory network as packets. Install
// it with mem.WithTap(c); it is safe for concurrent use. The zero value is
// not usable: call New.
type Capture struct {
	mu    sync.Mutex
	pkts  []packet
	flows map[[2]netip.AddrPort]*flow
	ipid  map[netip.Addr]uint16
}

var (
	_ mem.Tap    = (*Capture)(nil)
	_ mem.AckTap = (*Capture)(nil)
)

// New returns an empty capture.
func New() *Capture {
	return &Capture{flows: map[[2]netip.AddrPort]*flow{}, ipid: map[netip.Addr]uint16{}}
}

type packet struct {
	t     time.Time
	frame []byte
}

// flow is one TCP connection; index 0 is the dialer's side, 1 the
// listener's.
type flow struct {
	ends   [2]netip.AddrPort
	isn    [2]uint32
	sent   [2]uint64 // data bytes sent by each side
	fin    [2]bool   // each side's FIN is sent
	acked  [2]uint64 // bytes of the other side acknowledged by this side (AckEvent)
	gotAck [2]bool
	window [2]int // the window each side last advertised (AckEvent), -1 before
	// lastAck is each side's last pure ACK (seq, ack, window field): the
	// network merges acknowledgements due at the same instant, so an
	// identical one adds nothing.
	lastAck [2][3]uint32
	done    bool // reset: a new SYN starts a new connection
}

const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagRST = 0x04
	flagPSH = 0x08
	flagACK = 0x10

	// maxPayload splits a larger write into packets an IP header can
	// describe.
	maxPayload = 65000
	// windowShift is the window scale both ends announce.
	windowShift = 7
)

// Len returns the number of packets captured so far.
func (c *Capture) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pkts)
}

// Stream implements mem.Tap.
func (c *Capture) Stream(ev mem.StreamEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, d := c.flowLocked(ev.Src, ev.Dst, ev.SYN)
	o := 1 - d
	switch {
	case ev.SYN && d == 0: // the dialer's SYN, maybe again
		c.tcpLocked(ev.Time, f, d, f.isn[0], 0, flagSYN, nil)
	case ev.SYN: // SYN-ACK, and the dialer's ACK that completes the handshake
		c.tcpLocked(ev.Time, f, d, f.isn[1], f.isn[0]+1, flagSYN|flagACK, nil)
		c.tcpLocked(ev.Time, f, o, f.isn[0]+1, f.isn[1]+1, flagACK, nil)
	case ev.RST:
		if f.done {
			return
		}
		if !f.established() { // a refused SYN
			c.tcpLocked(ev.Time, f, d, 0, f.isn[0]+1, flagRST|flagACK, nil)
		} else {
			c.tcpLocked(ev.Time, f, d, f.seq(d), f.ackOf(d), flagRST|flagACK, nil)
		}
		f.done = true
	case ev.FIN:
		c.tcpLocked(ev.Time, f, d, f.seq(d), f.ackOf(d), flagFIN|flagACK, nil)
		f.fin[d] = true
	default:
		for b := ev.Data; len(b) > 0; {
			n := min(len(b), maxPayload)
			seq, ack := f.seq(d), f.ackOf(d)
			c.tcpLocked(ev.Time, f, d, seq, ack, flagPSH|flagACK, b[:n])
			if ev.Retransmit > 0 {
				c.tcpLocked(ev.Time.Add(ev.Retransmit), f, d, seq, ack, flagPSH|flagACK, b[:n])
			}
			f.sent[d] += uint64(n)
			b = b[n:]
		}
	}
}

// Ack implements mem.AckTap: a pure acknowledgement.
func (c *Capture) Ack(ev mem.AckEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, d := c.flowLocked(ev.Src, ev.Dst, false)
	if f.done {
		return
	}
	f.acked[d] = max(f.acked[d], ev.Ack)
	f.gotAck[d] = true
	f.window[d] = ev.Window
	key := [3]uint32{f.seq(d), f.ackOf(d), uint32(f.windowField(d, flagACK))}
	if key == f.lastAck[d] {
		return
	}
	f.lastAck[d] = key
	c.tcpLocked(ev.Time, f, d, key[0], key[1], flagACK, nil)
}

// Datagram implements mem.Tap.
func (c *Capture) Datagram(ev mem.DatagramEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 1
	if ev.Duplicated {
		n = 2
	}
	for range n {
		udp := make([]byte, 8+len(ev.Data))
		binary.BigEndian.PutUint16(udp[0:], ev.Src.Port())
		binary.BigEndian.PutUint16(udp[2:], ev.Dst.Port())
		binary.BigEndian.PutUint16(udp[4:], uint16(len(udp)))
		copy(udp[8:], ev.Data)
		c.ipLocked(ev.Time, ev.Src.Addr(), ev.Dst.Addr(), protoUDP, udp, 6)
	}
}

// windowField is the window field of a segment from side d: the window it
// last advertised on the acknowledgement clock, scaled, or the largest.
func (f *flow) windowField(d int, flags byte) uint16 {
	if flags&flagSYN != 0 || f.window[d] < 0 {
		return 0xffff
	}
	return uint16(min(f.window[d]>>windowShift, 0xffff))
}

func (f *flow) established() bool { return f.isn[1] != 0 }

// seq is side d's next sequence number.
func (f *flow) seq(d int) uint32 {
	s := f.isn[d] + 1 + uint32(f.sent[d])
	if f.fin[d] {
		s++
	}
	return s
}

// ackOf is side d's acknowledgement number: what it has acknowledged on
// the acknowledgement clock, or else everything the other side sent.
func (f *flow) ackOf(d int) uint32 {
	o := 1 - d
	if !f.gotAck[d] {
		return f.seq(o)
	}
	a := f.isn[o] + 1 + uint32(f.acked[d])
	if f.fin[o] && f.acked[d] >= f.sent[o] {
		a++
	}
	return a
}

// flowLocked finds the connection of a segment from src to dst and the
// sender's side, starting a new one for a dialer's SYN.
func (c *Capture) flowLocked(src, dst netip.AddrPort, syn bool) (*flow, int) {
	if f := c.flows[[2]netip.AddrPort{src, dst}]; f != nil {
		if !(syn && f.done && f.ends[0] == src) {
			if f.ends[0] == src {
				return f, 0
			}
			if syn && f.isn[1] == 0 {
				f.isn[1] = isn(dst, src)
			}
			return f, 1
		}
	}
	// A new connection: a SYN from the dialer, or traffic whose handshake
	// the capture did not see.
	f := &flow{ends: [2]netip.AddrPort{src, dst}, window: [2]int{-1, -1}}
	f.isn[0] = isn(src, dst)
	if !syn {
		f.isn[1] = isn(dst, src)
	}
	c.flows[[2]netip.AddrPort{src, dst}] = f
	c.flows[[2]netip.AddrPort{dst, src}] = f
	return f, 0
}

// isn derives an initial sequence number from the addresses, never 0.
func isn(src, dst netip.AddrPort) uint32 {
	h := fnv.New32a()
	b, _ := src.MarshalBinary()
	h.Write(b)
	b, _ = dst.MarshalBinary()
	h.Write(b)
	return max(h.Sum32(), 1)
}

// tcpLocked adds one TCP segment from side d.
func (c *Capture) tcpLocked(t time.Time, f *flow, d int, seq, ack uint32, flags byte, data []byte) {
	src, dst := f.ends[d], f.ends[1-d]
	hl := 20
	if flags&flagSYN != 0 {
		hl = 28 // MSS, NOP, window scale
	}
	seg := make([]byte, hl+len(data))
	binary.BigEndian.PutUint16(seg[0:], src.Port())
	binary.BigEndian.PutUint16(seg[2:], dst.Port())
	binary.BigEndian.PutUint32(seg[4:], seq)
	if flags&flagACK != 0 {
		binary.BigEndian.PutUint32(seg[8:], ack)
	}
	seg[12] = byte(hl/4) << 4
	seg[13] = flags
	binary.BigEndian.PutUint16(seg[14:], f.windowField(d, flags))
	if flags&flagSYN != 0 {
		mss := uint16(1460)
		if !bothV4(src.Addr(), dst.Addr()) {
			mss = 1440
		}
		copy(seg[20:], []byte{2, 4, byte(mss >> 8), byte(mss), 1, 3, 3, windowShift})
	}
	copy(seg[hl:], data)
	c.ipLocked(t, src.Addr(), dst.Addr(), protoTCP, seg, 16)
}

const (
	protoTCP = 6
	protoUDP = 17
)

func bothV4(a, b netip.Addr) bool { return a.Unmap().Is4() && b.Unmap().Is4() }

// ipLocked wraps a TCP or UDP segment in IP and Ethernet headers, fills in
// its checksum (at offset csum) and adds the frame.
func (c *Capture) ipLocked(t time.Time, src, dst netip.Addr, proto byte, seg []byte, csum int) {
	var ip []byte
	var pseudo []byte
	ethType := uint16(0x86dd)
	if bothV4(src, dst) {
		src, dst = src.Unmap(), dst.Unmap()
		ethType = 0x0800
		ip = make([]byte, 20)
		ip[0] = 0x45
		binary.BigEndian.PutUint16(ip[2:], uint16(20+len(seg)))
		id := c.ipid[src] + 1
		c.ipid[src] = id
		binary.BigEndian.PutUint16(ip[4:], id)
		binary.BigEndian.PutUint16(ip[6:], 0x4000) // don't fragment
		ip[8] = 64
		ip[9] = proto
		s4, d4 := src.As4(), dst.As4()
		copy(ip[12:], s4[:])
		copy(ip[16:], d4[:])
		binary.BigEndian.PutUint16(ip[10:], fold(sum(0, ip)))
		pseudo = make([]byte, 12)
		copy(pseudo, ip[12:20])
		pseudo[9] = proto
		binary.BigEndian.PutUint16(pseudo[10:], uint16(len(seg)))
	} else {
		ip = make([]byte, 40)
		ip[0] = 0x60
		binary.BigEndian.PutUint16(ip[4:], uint16(len(seg)))
		ip[6] = proto
		ip[7] = 64
		s16, d16 := src.As16(), dst.As16()
		copy(ip[8:], s16[:])
		copy(ip[24:], d16[:])
		pseudo = make([]byte, 40)
		copy(pseudo, ip[8:40])
		binary.BigEndian.PutUint32(pseudo[32:], uint32(len(seg)))
		pseudo[39] = proto
	}
	cs := fold(sum(sum(0, pseudo), seg))
	if cs == 0 && proto == protoUDP {
		cs = 0xffff
	}
	binary.BigEndian.PutUint16(seg[csum:], cs)

	frame := make([]byte, 0, 14+len(ip)+len(seg))
	dm, sm := mac(dst), mac(src)
	frame = append(frame, dm[:]...)
	frame = append(frame, sm[:]...)
	frame = binary.BigEndian.AppendUint16(frame, ethType)
	frame = append(frame, ip...)
	frame = append(frame, seg...)
	c.pkts = append(c.pkts, packet{t: t, frame: frame})
}

// mac derives a locally administered MAC address from an IP address: its
// last four bytes after 02:00.
func mac(a netip.Addr) [6]byte {
	b := a.As16()
	return [6]byte{0x02, 0x00, b[12], b[13], b[14], b[15]}
}

// sum adds b to the ones' complement sum s, as 16-bit big-endian words.
func sum(s uint32, b []byte) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

// fold returns the Internet checksum of the sum s.
func fold(s uint32) uint16 {
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// sorted returns the packets in time order (stable: packets of the same
// instant keep the order they were seen in).
func (c *Capture) sorted() []packet {
	c.mu.Lock()
	ps := append([]packet(nil), c.pkts...)
	c.mu.Unlock()
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].t.Before(ps[j].t) })
	return ps
}
