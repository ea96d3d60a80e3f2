package mem

import "time"

// DefaultRetransmitDelay is the stall of a lost stream segment when
// Faults.RetransmitDelay is zero: Linux's minimum retransmission timeout.
const DefaultRetransmitDelay = 200 * time.Millisecond

// segmentLocked cuts b into segments under the link's faults and queues
// them; l.mu must be held. It stops early and queues an RST when the
// connection reaches Faults.ResetAfterBytes.
func (p *pipe) segmentLocked(b []byte, now time.Time) (n int, reset bool) {
	l := p.link
	f := &l.faults
	segs := p.src.segs[:0]
	for n < len(b) && !reset {
		size := l.segmentSizeLocked(f.Segment, len(b)-n)
		if f.ResetAfterBytes > 0 {
			if left := f.ResetAfterBytes - p.sent; int64(size) >= left {
				size, reset = int(max(left, 0)), true
			}
		}
		if size == 0 {
			break
		}
		segs = append(segs, size)
		p.segmentOneLocked(b[n:n+size], now)
		n += size
	}
	p.src.segs = segs
	if reset {
		at := laterOf(p.scheduleLocked(0, now), p.lastAt)
		p.lastAt = at
		p.inflight.push(streamSeg{end: p.wr, at: at, rst: true})
		l.stats.Segments++
		l.stats.Resets++
		if c := p.src.c; c.tap != nil {
			c.events = append(c.events, StreamEvent{Time: now, Src: p.src.local, Dst: p.src.remote, RST: true})
		}
	}
	return n, reset
}

// segmentOneLocked queues one data segment: serialized behind the link's
// earlier traffic (Bandwidth), delayed (Latency, Jitter), stalled or lost
// (Loss), and never ahead of an earlier segment.
func (p *pipe) segmentOneLocked(seg []byte, now time.Time) {
	l := p.link
	f := &l.faults
	at := p.scheduleLocked(len(seg), now)
	l.stats.Segments++
	l.stats.Bytes += uint64(len(seg))
	if l.chanceLocked(FaultLoss, f.Loss) {
		if f.VisibleStreamLoss {
			l.stats.SegmentsLost++
			p.sent += int64(len(seg))
			return
		}
		rto := f.RetransmitDelay
		if rto <= 0 {
			rto = DefaultRetransmitDelay
		}
		at = at.Add(rto)
		l.stats.SegmentsStalled++
	}
	at = laterOf(at, p.lastAt)
	p.lastAt = at
	p.putLocked(seg)
	p.inflight.push(streamSeg{end: p.wr, at: at, short: f.Segment.ShortReads})
}

// scheduleLocked returns when a segment of size bytes sent now arrives,
// before loss and ordering: after its serialization on the link and one
// delay. l.mu must be held.
func (p *pipe) scheduleLocked(size int, now time.Time) time.Time {
	l := p.link
	done := now
	if bw := l.faults.Bandwidth; bw > 0 {
		done = laterOf(now, l.busyUntil).Add(time.Duration(int64(size) * int64(time.Second) / bw))
		l.busyUntil = done
	}
	return done.Add(l.delayLocked())
}

// segmentSizeLocked returns the next segment's size out of left bytes.
func (l *Link) segmentSizeLocked(s Segmentation, left int) int {
	switch s.Mode {
	case SegmentFixed:
		if s.Size > 0 {
			return min(s.Size, left)
		}
	case SegmentRandom:
		if s.Size > 0 {
			return min(1+l.randLocked(FaultSegment).IntN(s.Size), left)
		}
	case SegmentByte:
		return 1
	}
	return left
}

// streamStall reports whether the link is partitioned, counting a stalled
// segment if it is.
func (l *Link) streamStall() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.faults.Partitioned {
		l.stats.SegmentsStalled++
	}
	return l.faults.Partitioned
}
