package mem

import "time"

// Faults are the impairments of one link direction. The zero value is a
// perfect link: no delay, no loss, unlimited bandwidth, whole writes.
type Faults struct {
	Latency time.Duration // one-way delay of every segment and datagram
	Jitter  time.Duration // extra delay drawn uniformly from [0, Jitter]

	// Loss is the probability that a datagram, or a stream segment, is lost.
	// A lost stream segment stalls the stream for RetransmitDelay, as TCP's
	// retransmission does, and still arrives intact and in order, unless
	// VisibleStreamLoss is set, in which case the bytes are dropped (an
	// opt-in for testing what a broken stream does).
	Loss              float64
	RetransmitDelay   time.Duration // default 200ms (Linux's minimum RTO)
	VisibleStreamLoss bool

	Duplicate float64 // probability that a datagram is delivered twice
	Reorder   float64 // probability that a datagram is held back behind the next one

	Bandwidth int64 // bytes per second; 0 is unlimited

	Partitioned bool // nothing crosses; streams stall, datagrams are dropped

	ResetAfterBytes int64     // reset every stream on the link after this many bytes (0: never)
	ResetAt         time.Time // reset every stream on the link at this time (zero: never)

	Segment Segmentation // how stream writes are cut into segments
}

// SegmentMode selects how stream data is cut into segments.
type SegmentMode int

// Segmentation modes.
const (
	SegmentWhole  SegmentMode = iota // each write is one segment (up to the buffer)
	SegmentFixed                     // segments of exactly Size bytes
	SegmentRandom                    // seeded random sizes in [1, Size]
	SegmentByte                      // one byte per segment
)

// Segmentation controls how stream writes are cut into the segments that
// cross the link, and so how the reader's Reads are split. Write itself
// always accepts all of b (or returns an error), as net.Conn requires;
// ShortReads makes every Read return at most one segment even when more is
// buffered, which is what shakes out framing code that assumes one Read per
// message.
type Segmentation struct {
	Mode       SegmentMode
	Size       int // for SegmentFixed and SegmentRandom
	ShortReads bool
}

// FaultKind names a fault's random stream (see Link).
type FaultKind uint8

// Fault kinds, one random stream each per link direction.
const (
	FaultLoss FaultKind = iota
	FaultJitter
	FaultDuplicate
	FaultReorder
	FaultSegment
)
