package mem

import (
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// Schedule is the seeded random draws of one link direction, outside a
// network: a Link from the host named from to the host named to, in a
// network made WithSeed(seed), draws exactly the same values in the same
// order, because a Link draws through the same code. Tools that apply the
// in-memory network's faults elsewhere (the fault proxy of package
// faultproxy, which applies them to real sockets) use it so that one seed
// gives the same jitter, loss and segment sizes on both. Each fault kind
// has its own stream, as on a Link, so drawing one kind never shifts
// another's.
//
// A Schedule is not safe for concurrent use.
type Schedule struct{ d draws }

// NewSchedule returns the draws of the link direction from → to (host
// names) of a network seeded with seed.
func NewSchedule(seed uint64, from, to string) *Schedule {
	return &Schedule{d: newDraws(seed, from, to)}
}

// Chance draws from kind's stream and reports whether an event of
// probability p fires, as a Link decides a loss (FaultLoss), a duplicate
// or a reorder. p <= 0 never fires and draws nothing.
func (s *Schedule) Chance(kind FaultKind, p float64) bool { return s.d.chance(kind, p) }

// Delay returns one segment's or datagram's delay under f: f.Latency plus
// a jitter drawn uniformly from [0, f.Jitter] (no draw without jitter).
func (s *Schedule) Delay(f Faults) time.Duration { return s.d.delay(f) }

// SegmentSize returns the size of the next stream segment cut out of left
// bytes under seg (SegmentRandom draws; the other modes do not).
func (s *Schedule) SegmentSize(seg Segmentation, left int) int { return s.d.segmentSize(seg, left) }

// draws are the random streams of one link direction, one per fault kind,
// seeded by the network seed and the host names: what a Link and a
// Schedule both draw from, so that they cannot drift apart.
type draws struct {
	seed     uint64
	from, to string
	rngs     map[FaultKind]*rand.Rand
}

func newDraws(seed uint64, from, to string) draws {
	return draws{seed: seed, from: from, to: to, rngs: make(map[FaultKind]*rand.Rand)}
}

// rand returns kind's stream, seeded on first use.
func (d *draws) rand(kind FaultKind) *rand.Rand {
	r := d.rngs[kind]
	if r == nil {
		h := fnv.New64a()
		h.Write([]byte(d.from))
		h.Write([]byte{0})
		h.Write([]byte(d.to))
		h.Write([]byte{0, byte(kind)})
		r = rand.New(rand.NewPCG(d.seed, h.Sum64()))
		d.rngs[kind] = r
	}
	return r
}

func (d *draws) chance(kind FaultKind, p float64) bool {
	if p <= 0 {
		return false
	}
	return d.rand(kind).Float64() < p
}

func (d *draws) delay(f Faults) time.Duration {
	delay := f.Latency
	if f.Jitter > 0 {
		delay += time.Duration(d.rand(FaultJitter).Int64N(int64(f.Jitter) + 1))
	}
	return delay
}

func (d *draws) segmentSize(seg Segmentation, left int) int {
	switch seg.Mode {
	case SegmentFixed:
		if seg.Size > 0 {
			return min(seg.Size, left)
		}
	case SegmentRandom:
		if seg.Size > 0 {
			return min(1+d.rand(FaultSegment).IntN(seg.Size), left)
		}
	case SegmentByte:
		return min(1, left)
	}
	return left
}
