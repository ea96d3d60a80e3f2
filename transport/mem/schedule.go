package mem

import (
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// Schedule is the seeded random draws of one link direction, outside a
// network: a Link from the host named from to the host named to, in a
// network made WithSeed(seed), draws exactly the same values in the same
// order. Tools that apply the in-memory network's faults elsewhere (the
// fault proxy of package faultproxy, which applies them to real sockets)
// use it so that one seed gives the same jitter, loss and segment sizes on
// both. Each fault kind has its own stream, as on a Link, so drawing one
// kind never shifts another's.
//
// A Schedule is not safe for concurrent use.
type Schedule struct {
	seed     uint64
	from, to string
	rngs     map[FaultKind]*rand.Rand
}

// NewSchedule returns the draws of the link direction from → to (host
// names) of a network seeded with seed.
func NewSchedule(seed uint64, from, to string) *Schedule {
	return &Schedule{seed: seed, from: from, to: to, rngs: make(map[FaultKind]*rand.Rand)}
}

// faultStream is the random stream of one (link direction, fault kind):
// seeded by the network seed and the host names.
func faultStream(seed uint64, from, to string, kind FaultKind) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(from))
	h.Write([]byte{0})
	h.Write([]byte(to))
	h.Write([]byte{0, byte(kind)})
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

func (s *Schedule) rand(kind FaultKind) *rand.Rand {
	r := s.rngs[kind]
	if r == nil {
		r = faultStream(s.seed, s.from, s.to, kind)
		s.rngs[kind] = r
	}
	return r
}

// Chance draws from kind's stream and reports whether an event of
// probability p fires, as a Link decides a loss (FaultLoss), a duplicate
// or a reorder. p <= 0 never fires and draws nothing.
func (s *Schedule) Chance(kind FaultKind, p float64) bool {
	if p <= 0 {
		return false
	}
	return s.rand(kind).Float64() < p
}

// Delay returns one segment's or datagram's delay under f: f.Latency plus
// a jitter drawn uniformly from [0, f.Jitter] (no draw without jitter).
func (s *Schedule) Delay(f Faults) time.Duration {
	d := f.Latency
	if f.Jitter > 0 {
		d += time.Duration(s.rand(FaultJitter).Int64N(int64(f.Jitter) + 1))
	}
	return d
}

// SegmentSize returns the size of the next stream segment cut out of left
// bytes under seg (SegmentRandom draws; the other modes do not).
func (s *Schedule) SegmentSize(seg Segmentation, left int) int {
	switch seg.Mode {
	case SegmentFixed:
		if seg.Size > 0 {
			return min(seg.Size, left)
		}
	case SegmentRandom:
		if seg.Size > 0 {
			return min(1+s.rand(FaultSegment).IntN(seg.Size), left)
		}
	case SegmentByte:
		return min(1, left)
	}
	return left
}
