package mem

import (
	"net/netip"
	"time"
)

// TieWindow bounds the offset WithTieBreak adds to every delivery.
const TieWindow = time.Microsecond

// WithTieBreak makes the order of deliveries that fall at the same virtual
// instant a function of seed, so that a test can explore the orders a real
// network could produce and replay any one of them.
//
// Without it (the default), deliveries due at the same instant happen in the
// order the model reaches them, and a fault-free link delivers a write before
// Write returns: the order depends on which goroutine ran first. With it,
// every stream segment (SYN and SYN-ACK included) and every datagram is
// delayed by an extra offset in (0, TieWindow], drawn from a hash of seed,
// its addresses and its position in its stream (a datagram: its payload), so
// no delivery happens inline, deliveries due at the same instant happen one
// at a time in a seeded order, and under testing/synctest each one's effects
// settle before the next. The offset never depends on goroutine scheduling:
// the same seed and the same program give the same order. A segment still
// never overtakes an earlier one of its stream; datagrams sent at the same
// instant on one link may swap, as UDP allows.
func WithTieBreak(seed uint64) Option {
	return optionFunc(func(n *Network) { n.tie = &tieBreak{seed: seed} })
}

// tieBreak draws the offsets of WithTieBreak.
type tieBreak struct{ seed uint64 }

// offset returns the delay in (0, TieWindow] of one delivery from src to
// dst; kind and key tell deliveries of the same pair apart.
func (t *tieBreak) offset(src, dst netip.AddrPort, kind byte, key uint64) time.Duration {
	h := mix(t.seed ^ uint64(kind))
	h = mix(h ^ addrKey(src))
	h = mix(h ^ addrKey(dst))
	h = mix(h ^ key)
	return time.Duration(1 + h%uint64(TieWindow))
}

// tieOffset is offset on a network with WithTieBreak, else 0.
func (n *Network) tieOffset(src, dst netip.AddrPort, kind byte, key uint64) time.Duration {
	if n.tie == nil {
		return 0
	}
	return n.tie.offset(src, dst, kind, key)
}

// addrKey folds an address and port into 64 bits.
func addrKey(ap netip.AddrPort) uint64 {
	a := ap.Addr().Unmap().As16()
	var hi, lo uint64
	for i := range 8 {
		hi = hi<<8 | uint64(a[i])
		lo = lo<<8 | uint64(a[8+i])
	}
	return mix(hi) ^ lo ^ uint64(ap.Port())<<48
}

// payloadKey hashes a datagram's payload (FNV-1a).
func payloadKey(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// mix is splitmix64's finalizer.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// Delivery kinds, which keep the offsets of one address pair apart.
const (
	tieSegment  byte = 's'
	tieControl  byte = 'c'
	tieSYN      byte = 'S'
	tieSYNACK   byte = 'A'
	tieDatagram byte = 'd'
)

// WithLinkFaults gives every link the faults f when it is created (first
// used or asked for with Network.Link), instead of a perfect link; Link.SetFaults
// still changes one link. It is how a test runs all its traffic under one
// set of faults without naming every pair of hosts (package explore does).
func WithLinkFaults(f Faults) Option {
	return optionFunc(func(n *Network) { n.linkFaults = f })
}
