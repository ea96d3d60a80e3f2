package mem

import "time"

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
	bounds   fifo[uint64]    // arrived ShortReads segment ends a Read stops at
	lastAt   time.Time       // when the last segment sent arrives: none overtakes it
	held     bool            // the head segment met a partition; waits for heal
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

	// readable and writable are the one channel a blocked Read (of dst) and
	// Write (of src) waits on: readable is signalled when something
	// arrives, writable when the window opens or a handed Read is taken,
	// and both on reset, on Close of that end and when that end's deadline
	// passes. A single receive costs far less than a select.
	readable chan struct{}
	writable chan struct{}
}

func newPipe(l *Link, src, dst *Conn) *pipe {
	return &pipe{link: l, src: src, dst: dst,
		readable: make(chan struct{}, 1), writable: make(chan struct{}, 1)}
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
func (p *pipe) sendLocked(b []byte) (int, error) {
	if p.fastLocked() {
		if n := p.handOffLocked(b); n > 0 {
			return n, nil
		}
		p.putLocked(b)
		p.commitFastLocked(len(b))
		return len(b), nil
	}
	l := p.link
	l.mu.Lock()
	now := time.Now()
	n, reset := p.segmentLocked(b, now)
	l.mu.Unlock()
	if reset {
		p.src.resetLocked()
	}
	p.deliverDueLocked(now)
	if reset {
		return n, p.src.resetErr("write")
	}
	return n, nil
}

// fastLocked reports whether the link is fault-free and nothing waits
// ahead, so that bytes written now arrive at once.
func (p *pipe) fastLocked() bool {
	if p.inflight.len() > 0 || p.held {
		return false
	}
	p.link.mu.Lock()
	defer p.link.mu.Unlock()
	return p.link.faults == (Faults{})
}

// commitFastLocked makes the last n bytes put in the ring one segment that
// arrives at once.
func (p *pipe) commitFastLocked(n int) {
	l := p.link
	l.mu.Lock()
	l.stats.Segments++
	l.stats.Bytes += uint64(n)
	l.mu.Unlock()
	p.src.segs = append(p.src.segs[:0], n)
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
	l := p.link
	now := time.Now()
	l.mu.Lock()
	at := laterOf(p.scheduleLocked(0, now), p.lastAt)
	p.lastAt = at
	l.stats.Segments++
	if rst {
		l.stats.Resets++
	}
	l.mu.Unlock()
	p.inflight.push(streamSeg{end: p.wr, at: at, fin: fin, rst: rst})
	if c := p.src.c; c.tap != nil {
		c.events = append(c.events, StreamEvent{Time: now, Src: p.src.local, Dst: p.src.remote, FIN: fin, RST: rst})
	}
	p.deliverDueLocked(now)
}

// deliverDueLocked makes every segment due by now arrive, in order, and
// arms the timer for the next one. A partitioned link holds them all.
func (p *pipe) deliverDueLocked(now time.Time) {
	for !p.held && p.inflight.len() > 0 {
		s := p.inflight.peek()
		if s.at.After(now) {
			p.armLocked(s.at.Sub(now))
			return
		}
		if p.link.streamStall() {
			p.stallLocked(now)
			return
		}
		p.arriveLocked(p.inflight.pop())
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
			p.rd = p.dl
			p.bounds.clear()
			wakeOne(p.writable)
			dst.replyResetLocked()
		}
	}
	if s.fin {
		p.eof = true
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
	p.wr = p.dl
	p.held = false
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
	if !p.held || p.link.isCut() {
		return
	}
	now := time.Now()
	earliest := now.Add(p.link.Faults().Latency)
	for i := range p.inflight.len() {
		s := p.inflight.at(i)
		s.at = laterOf(s.at, earliest)
	}
	p.lastAt = laterOf(p.lastAt, earliest)
	p.held = false
	p.unstallLocked()
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
