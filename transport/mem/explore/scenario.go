package explore

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// Scenario is one point of the space the explorer searches: the order of
// simultaneous deliveries, how streams are cut into segments, the links'
// delay and the seed of the network's random draws.
type Scenario struct {
	// Tie seeds the order of deliveries due at the same virtual instant
	// (mem.WithTieBreak). Every scenario breaks ties by it.
	Tie uint64
	// Segment is how every link cuts stream writes (mem.Faults.Segment).
	Segment mem.Segmentation
	// Latency and Jitter are every link's one-way delay (mem.Faults).
	Latency, Jitter time.Duration
	// Seed is the network's seed (mem.WithSeed): jitter, random segment
	// sizes.
	Seed uint64
}

// delays are the latencies and jitters a scenario takes, simplest first.
var delays = [8]time.Duration{0, time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond,
	10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond}

// maxSegment bounds Segmentation.Size for the fixed and random modes.
const maxSegment = 16

// The encoded layout: what matters most comes first, so that a short input
// (the fuzzer's and Minimize's favourite) still says something.
const (
	offTie     = 0  // 8 bytes, little-endian
	offSegment = 8  // mode in bits 0-1, ShortReads in bit 7
	offSize    = 9  // 1 + b%maxSegment for the fixed and random modes
	offLatency = 10 // index into delays
	offJitter  = 11 // index into delays
	offSeed    = 12 // 8 bytes, little-endian
	encodedLen = 20
)

// Decode turns any bytes (a fuzz input) into a scenario. Missing bytes are
// zeros, extra bytes are ignored, and every input is valid: zero bytes are
// the simplest scenario (tie seed 0, whole writes, no delay, seed 0).
func Decode(data []byte) Scenario {
	var b [encodedLen]byte
	copy(b[:], data)
	s := Scenario{
		Tie:     binary.LittleEndian.Uint64(b[offTie:]),
		Latency: delays[b[offLatency]%8],
		Jitter:  delays[b[offJitter]%8],
		Seed:    binary.LittleEndian.Uint64(b[offSeed:]),
	}
	s.Segment.Mode = mem.SegmentMode(b[offSegment] % 4)
	s.Segment.ShortReads = b[offSegment]&0x80 != 0
	if s.Segment.Mode == mem.SegmentFixed || s.Segment.Mode == mem.SegmentRandom {
		s.Segment.Size = 1 + int(b[offSize])%maxSegment
	}
	return s
}

// Encode returns the shortest input that Decode turns into s (trailing
// zeros trimmed). It is Decode's inverse for every scenario Decode returns;
// a delay between two steps is rounded down to the step below it, a
// segment size beyond maxSegment is taken modulo it.
func (s Scenario) Encode() []byte {
	var b [encodedLen]byte
	binary.LittleEndian.PutUint64(b[offTie:], s.Tie)
	b[offSegment] = byte(s.Segment.Mode) & 3
	if s.Segment.ShortReads {
		b[offSegment] |= 0x80
	}
	if s.Segment.Size > 0 && (s.Segment.Mode == mem.SegmentFixed || s.Segment.Mode == mem.SegmentRandom) {
		b[offSize] = byte((s.Segment.Size - 1) % maxSegment)
	}
	b[offLatency], b[offJitter] = delayIndex(s.Latency), delayIndex(s.Jitter)
	binary.LittleEndian.PutUint64(b[offSeed:], s.Seed)
	n := len(b)
	for n > 0 && b[n-1] == 0 {
		n--
	}
	return append([]byte(nil), b[:n]...)
}

func delayIndex(d time.Duration) byte {
	var i byte
	for j, v := range delays {
		if v <= d {
			i = byte(j)
		}
	}
	return i
}

// Options returns the network options that realise the scenario: the seed,
// the tie order, and the faults every link starts with.
func (s Scenario) Options() []mem.Option {
	return []mem.Option{
		mem.WithSeed(s.Seed),
		mem.WithTieBreak(s.Tie),
		mem.WithLinkFaults(mem.Faults{Latency: s.Latency, Jitter: s.Jitter, Segment: s.Segment}),
	}
}

var modeNames = [4]string{"whole", "fixed", "random", "byte"}

// String describes the scenario in one line.
func (s Scenario) String() string {
	seg := modeNames[s.Segment.Mode&3]
	if s.Segment.Size > 0 {
		seg += fmt.Sprintf("(%d)", s.Segment.Size)
	}
	if s.Segment.ShortReads {
		seg += "+short reads"
	}
	return fmt.Sprintf("tie=%d segment=%s latency=%v jitter=%v seed=%d", s.Tie, seg, s.Latency, s.Jitter, s.Seed)
}
