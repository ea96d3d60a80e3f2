package mem

import (
	"math"
	"time"
)

// pipe is one direction of a connection: the bytes src wrote that dst has
// not read yet, in one ring, addressed by absolute offsets
// rd <= dl <= wr: [rd, dl) has arrived at dst and waits to be read,
// [dl, wr) is in flight as the segments in inflight. Every field is
// guarded by the connection's mu.
type pipe struct {
	link     *Link // the link from src's host to dst's host
	src, dst *Conn

	data       byteRing
	limit      int // the window: src's send buffer + dst's receive buffer
	rd, dl, wr uint64

	inflight fifo[streamSeg] // sent, not yet arrived, in order
	acks     fifo[ackSeg]    // dst's acknowledgements travelling back (stream_ack.go)
	ackHeld  bool            // the head acknowledgement met a partition

	// The acknowledgement clock of a link with faults (stream_ack.go):
	// [una, nxt) is sent and unacknowledged, [nxt, wr) unsent; the
	// receiver takes bytes up to right; cwnd limits nxt-una.
	clocked    bool
	nxt, una   uint64
	right      uint64
	cwnd       int
	mss, hdr   int          // payload and header bytes of a full segment
	more       bool         // the Write that put the unsent tail is adding more
	finPending bool         // a FIN goes once the unsent bytes are sent
	bounds     fifo[uint64] // arrived ShortReads segment ends a Read stops at
	lastAt     time.Time    // when the last segment sent arrives: none overtakes it
	held       bool         // the head segment met a partition; waits for heal
	// stalledAt is when the head segment first met the partition; the
	// stall timer ends the connection when the retransmission budget is
	// spent (stream_timeout.go).
	stalledAt  time.Time
	stallTimer *time.Timer
	timer      *time.Timer // fires when the head segment is due
	sent       int64       // bytes src has sent (Faults.ResetAfterBytes)
	eof        bool        // src's FIN has arrived

	// waiter is the buffer of a Read blocked on an empty pipe; a fault-free
	// Write copies straight into it (one copy instead of two) and records
	// how much in handed, which the Read returns when it wakes. A large
	// Write waits for handed to be taken (see collectingLocked).
	waiter []byte
	handed int
	// copying is set while a Read copies [rd, …) outside the lock: those
	// bytes stay out of the window until it is done (see discardLocked).
	copying bool

	// readable and writable are the one channel a blocked Read (of dst) and
	// Write (of src) waits on: readable is signalled when something
	// arrives, writable when the window opens or a handed Read is taken,
	// and both on reset, on Close of that end and when that end's deadline
	// passes. A single receive costs far less than a select.
	readable chan struct{}
	writable chan struct{}
}

func newPipe(l *Link, src, dst *Conn) *pipe {
	p := &pipe{link: l, src: src, dst: dst, cwnd: math.MaxInt,
		mss: pathMSS(src.host, dst.host, src, dst), hdr: streamHeaders(src.local.Addr().Unmap().Is4()),
		readable: make(chan struct{}, 1), writable: make(chan struct{}, 1)}
	if n := src.host.net; n.slowStart {
		p.cwnd = n.initialWindow * p.mss
	}
	return p
}

// readableLocked returns how much of max bytes one Read may take: what has
// arrived, up to the next ShortReads bound.
func (p *pipe) readableLocked(max int) int {
	n := min(uint64(max), p.dl-p.rd)
	for p.bounds.len() > 0 && *p.bounds.peek() <= p.rd {
		p.bounds.pop()
	}
	if p.bounds.len() > 0 {
		n = min(n, *p.bounds.peek()-p.rd)
	}
	return int(n)
}

// consumeLocked marks n bytes from start as read and opens the window. A
// Close that discarded them meanwhile has already moved rd further.
func (p *pipe) consumeLocked(start uint64, n int) {
	p.rd = max(p.rd, start+uint64(n))
	wakeOne(p.writable)
	if p.clocked {
		now := time.Now()
		p.ackLocked(now)
		p.deliverDueLocked(now)
	}
}

// discardLocked drops what has arrived and not been read (dst is closed)
// and opens the window, waking a blocked writer if wake is set. While a
// Read copies outside the lock, the bytes under its copy must not go back
// to the writer: readData discards once its copy is done.
func (p *pipe) discardLocked(wake bool) {
	if p.copying {
		return
	}
	p.rd = p.dl
	p.bounds.clear()
	if wake {
		wakeOne(p.writable)
	}
}

// putLocked appends b to the ring.
func (p *pipe) putLocked(b []byte) {
	p.data.grow(p.rd, p.wr, int(p.wr-p.rd)+len(b), p.limit)
	p.data.put(p.wr, b)
	p.wr += uint64(len(b))
	p.sent += int64(len(b))
	p.src.host.streamSent.Add(uint64(len(b)))
}

// sendLocked puts b (which fits the window) on the link and returns how
// much was accepted: all of b, or less with an error if the connection was
// reset part way (Faults.ResetAfterBytes). Sizes go to src.segs for the
// tap. On a fault-free link the bytes arrive at once, with no timer.
func (p *pipe) sendLocked(b []byte, more bool) (int, error) {
	if p.fastLocked() {
		if n := p.handOffLocked(b); n > 0 {
			return n, nil
		}
		p.putLocked(b)
		p.commitFastLocked(len(b))
		return len(b), nil
	}
	p.src.segs = p.src.segs[:0] // the tap sees these segments as they go
	now := time.Now()
	p.startClockLocked()
	start := p.wr
	p.data.grow(p.rd, p.wr, int(p.wr-p.rd)+len(b), p.limit)
	p.data.put(p.wr, b)
	p.wr += uint64(len(b))
	p.more = more
	reset := p.transmitLocked(now)
	if reset {
		p.src.resetLocked()
	}
	p.deliverDueLocked(now)
	if reset {
		return int(min(uint64(len(b)), max(p.nxt, start)-start)), p.src.resetErr("write")
	}
	return len(b), nil
}

// flushLocked sends a tail held for a Write that ended early.
func (p *pipe) flushLocked() {
	if !p.more {
		return
	}
	p.more = false
	now := time.Now()
	if p.transmitLocked(now) {
		p.src.resetLocked()
	}
	p.deliverDueLocked(now)
}

// fastLocked reports whether the link is fault-free and nothing waits
// ahead, so that bytes written now arrive at once.
func (p *pipe) fastLocked() bool {
	if !p.quietLocked() || p.link.from.net.tie != nil {
		return false
	}
	p.link.mu.Lock()
	defer p.link.mu.Unlock()
	return p.link.faults == (Faults{})
}

// commitFastLocked makes the last n bytes put in the ring one segment that
// arrives at once.
func (p *pipe) commitFastLocked(n int) {
	segs := p.src.segs[:0]
	for left := n; left > 0; left -= p.mss {
		segs = append(segs, min(left, p.mss))
	}
	p.src.segs = segs
	l := p.link
	l.mu.Lock()
	l.stats.Segments += uint64(len(segs))
	l.stats.Bytes += uint64(n)
	l.mu.Unlock()
	p.nxt, p.una, p.clocked = p.wr, p.wr, false
	p.arriveLocked(streamSeg{end: p.wr})
}

// handOffLocked copies the head of b straight into a waiting Read's
// buffer when nothing else is unread; it returns how much it handed over.
func (p *pipe) handOffLocked(b []byte) int {
	if p.waiter == nil || p.handed > 0 || p.wr != p.rd || p.dst.closed {
		return 0
	}
	n := copy(p.waiter, b)
	p.handed = n
	p.rd += uint64(n)
	p.wr, p.dl = p.rd, p.rd
	p.sent += int64(n)
	p.src.host.streamSent.Add(uint64(n))
	p.dst.host.streamRecv.Add(uint64(n))
	p.commitFastLocked(n) // counts; the segment is empty by now
	return n
}

// bigCopy is the size from which Read and a fault-free Write copy outside
// the lock, so that a reader and a writer copy at the same time.
const bigCopy = 4 << 10

// sendBigLocked is sendLocked for a large write on a fault-free link: the
// copy into the ring runs unlocked. Only the holder of src's write turn
// appends data, so the space it copies to is its own; anything that ended
// the connection meanwhile discards the copy.
func (p *pipe) sendBigLocked(b []byte) (int, error) {
	if n := p.handOffLocked(b); n > 0 {
		return n, nil
	}
	c := p.src.c
	p.data.grow(p.rd, p.wr, int(p.wr-p.rd)+len(b), p.limit)
	start, r := p.wr, p.data
	c.mu.Unlock()
	r.put(start, b)
	c.mu.Lock()
	if err := p.src.writeErrLocked(); err != nil {
		return 0, err
	}
	p.wr += uint64(len(b))
	p.sent += int64(len(b))
	p.src.host.streamSent.Add(uint64(len(b)))
	p.commitFastLocked(len(b))
	return len(b), nil
}

// sendControlLocked queues a FIN or RST behind everything sent so far.
func (p *pipe) sendControlLocked(fin, rst bool) {
	now := time.Now()
	p.more = false
	switch {
	case rst:
		p.wr, p.finPending = p.nxt, false // unsent bytes die with the connection
	case p.nxt < p.wr:
		p.finPending = true // behind the unsent bytes
		if p.transmitLocked(now) {
			p.src.resetLocked()
		}
		p.deliverDueLocked(now)
		return
	}
	l := p.link
	l.mu.Lock()
	p.queueControlLocked(fin, rst, now)
	l.mu.Unlock()
	p.deliverDueLocked(now)
}

// deliverDueLocked makes every segment due by now arrive, in order, and
// arms the timer for the next one. A partitioned link holds them all.
func (p *pipe) deliverDueLocked(now time.Time) {
	for {
		var next time.Time
		dataDue, ackDue := false, false
		if !p.held && p.inflight.len() > 0 {
			next, dataDue = p.inflight.peek().at, true
		}
		if !p.ackHeld && p.acks.len() > 0 {
			if at := p.acks.peek().at; !dataDue || !at.After(next) {
				next, dataDue, ackDue = at, false, true
			}
		}
		switch {
		case !dataDue && !ackDue:
			return
		case next.After(now):
			p.armLocked(next.Sub(now))
			return
		case ackDue:
			if p.dst.out.link.isCut() {
				p.ackHeld = true
				p.stallLocked(now)
				continue
			}
			p.ackArrivedLocked(p.acks.pop())
			if p.transmitLocked(now) {
				p.src.resetLocked()
			}
		default:
			if p.link.streamStall() {
				p.held = true
				p.stallLocked(now)
				continue
			}
			p.arriveLocked(p.inflight.pop())
		}
	}
}

// arriveLocked applies one segment at dst.
func (p *pipe) arriveLocked(s streamSeg) {
	dst := p.dst
	if s.end > p.dl {
		dst.host.streamRecv.Add(s.end - p.dl)
		p.dl = s.end
		if s.short {
			p.bounds.push(s.end)
		}
		if dst.closed { // data for a closed socket: dropped, answered by RST
			p.discardLocked(true)
			dst.replyResetLocked()
		}
	}
	if s.fin {
		p.eof = true
	}
	if p.clocked && !dst.closed && !s.rst {
		p.ackLocked(time.Now())
	}
	if s.rst && !dst.closed {
		dst.out.dropInflightLocked()
		dst.resetLocked()
	}
	wakeOne(p.readable)
}

// dropInflightLocked discards what was sent but has not arrived.
func (p *pipe) dropInflightLocked() {
	p.inflight.clear()
	p.acks.clear()
	p.wr = p.dl
	p.nxt, p.una = p.dl, p.dl
	p.held, p.ackHeld, p.more, p.finPending = false, false, false, false
	p.unstallLocked()
	p.lastAt = time.Time{}
	wakeOne(p.writable)
}

func (p *pipe) armLocked(d time.Duration) {
	if p.timer == nil {
		p.timer = time.AfterFunc(d, p.onTimer)
		return
	}
	p.timer.Reset(d)
}

func (p *pipe) onTimer() {
	c := p.src.c
	c.mu.Lock()
	if !c.finished {
		p.deliverDueLocked(time.Now())
	}
	c.unlock()
}

// healLocked releases segments held by a partition: none arrives before
// one latency after the heal.
func (p *pipe) healLocked() {
	now := time.Now()
	healed := false
	if p.held && !p.link.isCut() {
		earliest := now.Add(p.link.Faults().Latency)
		for i := range p.inflight.len() {
			s := p.inflight.at(i)
			s.at = laterOf(s.at, earliest)
		}
		p.lastAt = laterOf(p.lastAt, earliest)
		p.held, healed = false, true
	}
	if back := p.dst.out.link; p.ackHeld && !back.isCut() {
		earliest := now.Add(back.Faults().Latency)
		for i := range p.acks.len() {
			a := p.acks.at(i)
			a.at = laterOf(a.at, earliest)
		}
		p.ackHeld, healed = false, true
	}
	if !healed {
		return
	}
	if !p.held && !p.ackHeld {
		p.unstallLocked()
	}
	p.deliverDueLocked(now)
}

func (p *pipe) stopLocked() {
	if p.timer != nil {
		p.timer.Stop()
	}
	p.unstallLocked()
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
