package mem

import "time"

// DefaultRetransmitDelay is the stall of a lost stream segment when
// Faults.RetransmitDelay is zero: Linux's minimum retransmission timeout.
const DefaultRetransmitDelay = 200 * time.Millisecond

// segmentOneLocked sends the next size unsent bytes as one data segment:
// serialized behind the link's earlier traffic (Bandwidth, headers
// included), delayed (Latency, Jitter), stalled or lost (Loss), and never
// ahead of an earlier segment. l.mu must be held.
func (p *pipe) segmentOneLocked(size int, now time.Time) {
	l := p.link
	f := &l.faults
	at := p.scheduleLocked(size+p.hdr, now)
	l.stats.Segments++
	l.stats.Bytes += uint64(size)
	start := p.nxt
	p.nxt += uint64(size)
	p.sent += int64(size)
	p.src.host.streamSent.Add(uint64(size))
	ev := -1
	if c := p.src.c; c.tap != nil {
		ev = len(c.events)
		data := make([]byte, size)
		p.data.get(start, data)
		c.events = append(c.events, StreamEvent{Time: now, Src: p.src.local, Dst: p.src.remote, Data: data})
	}
	if l.chanceLocked(FaultLoss, f.Loss) {
		if f.VisibleStreamLoss {
			l.stats.SegmentsLost++
			p.cutLocked(start, size)
			return
		}
		rto := f.RetransmitDelay
		if rto <= 0 {
			rto = DefaultRetransmitDelay
		}
		at = at.Add(rto)
		l.stats.SegmentsStalled++
		p.tapRetransmitLocked(ev, rto)
	}
	at = laterOf(at, p.lastAt)
	p.lastAt = at
	p.inflight.push(streamSeg{end: p.nxt, at: at, short: f.Segment.ShortReads})
}

// cutLocked removes size bytes at start from the stream (a segment lost
// for good, Faults.VisibleStreamLoss): the bytes behind them move up.
func (p *pipe) cutLocked(start uint64, size int) {
	rest := make([]byte, p.wr-(start+uint64(size)))
	p.data.get(start+uint64(size), rest)
	p.data.put(start, rest)
	p.wr -= uint64(size)
	p.nxt = start
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
	d := l.delayLocked()
	if t := l.from.net.tie; t != nil {
		kind := tieSegment
		if size == 0 {
			kind = tieControl
		}
		d += t.offset(p.src.local, p.src.remote, kind, p.nxt)
	}
	return done.Add(d)
}

// segmentSizeLocked returns the next segment's size out of left bytes.
func (l *Link) segmentSizeLocked(s Segmentation, left int) int { return l.draws.segmentSize(s, left) }

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
