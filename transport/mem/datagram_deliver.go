package mem

import "net/netip"

// deliver hands data to the receiving host's sockets and reports whether
// one took it. A unicast datagram goes to one socket: one connected to its
// sender first, then one bound to its address exactly, then a wildcard
// one, earliest bound first. Broadcast and multicast datagrams go to every
// matching socket (multicast: those that joined the group on the receiving
// interface). A unicast datagram nobody takes is refused (see
// DatagramSocket.ReadDatagram); one that found only a full queue sets d.full.
func (d *delivery) deliver(data []byte) bool {
	h := d.to
	var best *DatagramSocket
	bestScore, took, full := -1, uint64(0), uint64(0)
	h.mu.Lock()
	for _, b := range h.ports[protoUDP][d.meta.Dst.Port()] {
		s, ok := b.owner.(*DatagramSocket)
		exact := b.addr.Addr() == d.meta.Dst.Addr()
		if !ok || (!exact && !overlaps(b.addr.Addr(), d.meta.Dst.Addr())) {
			continue
		}
		if d.kind != kindUnicast {
			t, f := s.offer(d, data)
			took, full = took+b2u(t), full+b2u(f)
			continue
		}
		if score := s.score(d.meta.Src, exact); score > bestScore {
			best, bestScore = s, score
		}
	}
	h.mu.Unlock()
	if best != nil {
		t, f := best.offer(d, data)
		took, full = b2u(t), b2u(f)
	}
	if d.kind == kindUnicast && best == nil && d.from != nil {
		d.from.refuse(d.meta.Dst)
	}
	d.full = took == 0 && full > 0
	h.countDatagrams(0, took, full)
	return took > 0
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// score ranks the socket as the receiver of a unicast datagram from src;
// -1 means it does not take it.
func (s *DatagramSocket) score(src netip.AddrPort, exact bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || !s.acceptsLocked(src) {
		return -1
	}
	score := 0
	if s.remote.IsValid() {
		score += 2
	}
	if exact {
		score++
	}
	return score
}

// offer queues a copy of data if the socket takes the datagram. took: it
// did; full: it would have, but its receive buffer had no room (counted).
func (s *DatagramSocket) offer(d *delivery, data []byte) (took, full bool) {
	cost := len(data) + DatagramOverhead
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || !s.acceptsLocked(d.meta.Src) {
		return false, false
	}
	if d.kind == kindMulticast && !s.joinedLocked(d.meta.Dst.Addr(), d.ifc.Index) {
		return false, false
	}
	if s.q.len() > 0 && s.q.bytes+cost > s.rcvbuf {
		s.dropped++
		return false, true
	}
	s.q.push(packet{buf: getBuf(data), meta: d.meta, cost: cost})
	s.wakeLocked()
	return true, false
}
