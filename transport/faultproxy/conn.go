package faultproxy

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// conn is one proxied connection: the accepted client side, the dialed
// server side, and per direction a reader that cuts what it reads into
// scheduled segments and a writer that forwards them when they are due.
type conn struct {
	p      *Proxy
	side   [2]*net.TCPConn // side[Upstream] is the client (read upstream), side[Downstream] the server
	server atomic.Pointer[net.TCPConn]
	done   chan struct{}
	once   sync.Once
	fins   atomic.Int32

	// Per direction, touched only under p.mu: bytes sent (ResetAfterBytes)
	// and the last segment's arrival (no overtaking).
	sent   [2]int64
	lastAt [2]time.Time
	// inflight counts segments handed to a direction's writer and not yet
	// written, so that the reader may write directly when none are.
	inflight [2]atomic.Int64
}

// segment is one scheduled piece of a direction.
type segment struct {
	data     []byte
	at       time.Time
	fin, rst bool
}

func newConn(p *Proxy, client *net.TCPConn) *conn {
	c := &conn{p: p, done: make(chan struct{})}
	c.side[Upstream] = client
	return c
}

// src and dst of a direction.
func (c *conn) src(dir Direction) *net.TCPConn { return c.side[dir] }
func (c *conn) dst(dir Direction) *net.TCPConn { return c.side[1-dir] }

// run does the handshake, then forwards both directions until the
// connection ends.
func (c *conn) run() {
	defer c.p.wg.Done()
	defer c.p.forget(c)
	if !c.handshake() {
		c.reset()
		return
	}
	var wg sync.WaitGroup
	for _, dir := range []Direction{Upstream, Downstream} {
		ch := make(chan segment, 64)
		wg.Add(2)
		go func() { defer wg.Done(); c.read(dir, ch) }()
		go func() { defer wg.Done(); c.write(dir, ch) }()
	}
	wg.Wait()
}

// handshake plays mem's: the SYN crosses upstream (then the proxy dials
// the server), the SYN-ACK crosses downstream; a loss or a partition on
// either makes the "client" retransmit after InitialRTO, doubling, until
// mem.DefaultConnectTimeout. Only then does the proxy read what the client
// sent, so the first request reaches the server one round trip later, as
// it would through mem.Host.Dial.
func (c *conn) handshake() bool {
	start := time.Now()
	sent, rto := start, mem.InitialRTO
	for {
		if c.synOnce() {
			return c.server.Load() != nil
		}
		next := sent.Add(rto)
		if next.Sub(start) > mem.DefaultConnectTimeout || !c.sleepUntil(next) {
			return false
		}
		sent, rto = next, rto*2
	}
}

// synOnce sends one SYN; it reports whether the handshake ended (done or
// refused).
func (c *conn) synOnce() bool {
	d, ok := c.p.synTransit(Upstream)
	if !ok || !c.sleepUntil(time.Now().Add(d)) {
		return false
	}
	if c.server.Load() == nil {
		d := net.Dialer{Timeout: mem.DefaultConnectTimeout}
		s, err := d.DialContext(c.p.ctx, "tcp", c.p.upstream)
		if err != nil {
			d, _ := c.p.synTransit(Downstream)
			c.sleepUntil(time.Now().Add(d))
			return true // refused: the caller resets the client
		}
		c.side[Downstream] = s.(*net.TCPConn)
		c.server.Store(c.side[Downstream])
		if c.ended() {
			_ = s.Close()
			return true
		}
	}
	d, ok = c.p.synTransit(Downstream)
	if !ok {
		return false
	}
	return c.sleepUntil(time.Now().Add(d))
}

// synTransit decides one handshake segment's fate on dir, drawing as a
// mem.Link does: nothing while partitioned, then loss, then delay.
func (p *Proxy) synTransit(dir Direction) (time.Duration, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := &p.faults[dir]
	st := p.countersLocked(dir)
	if f.Partitioned {
		st.PartitionedDrops++
		return 0, false
	}
	if p.sched[dir].Chance(mem.FaultLoss, f.Loss) {
		st.SegmentsStalled++
		return 0, false
	}
	return p.sched[dir].Delay(*f), true
}

// sleepUntil waits until t; false if the connection or the proxy ended
// first.
func (c *conn) sleepUntil(t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return !c.ended()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-c.done:
		return false
	case <-c.p.done:
		return false
	}
}

func (c *conn) ended() bool {
	select {
	case <-c.done:
		return true
	case <-c.p.done:
		return true
	default:
		return false
	}
}

// read cuts what dir's source sends into segments for the writer.
func (c *conn) read(dir Direction, out chan<- segment) {
	defer close(out)
	buf := make([]byte, fastRead)
	for {
		n, err := c.src(dir).Read(buf[:c.readSize(dir)])
		if n > 0 && !c.forward(dir, buf[:n], out) {
			return
		}
		if err != nil {
			if c.ended() {
				return
			}
			c.push(dir, out, c.control(dir, errors.Is(err, io.EOF)))
			return
		}
	}
}

// Read sizes: fault-free directions read big (throughput); faulty ones
// read at most faultRead at a time, so that a change of faults applies
// within that many bytes, as mem's segments in flight are bounded by its
// window.
const (
	fastRead  = 256 << 10
	faultRead = 64 << 10
)

func (c *conn) readSize(dir Direction) int {
	c.p.mu.Lock()
	defer c.p.mu.Unlock()
	if c.p.faults[dir] == (mem.Faults{}) {
		return fastRead
	}
	return faultRead
}

// forward schedules data on dir: it waits out a partition, then cuts
// segments (Segment, MSS), each serialized (Bandwidth), delayed (Latency,
// Jitter), stalled or dropped (Loss), never ahead of the one before, and
// stops at ResetAfterBytes. With no faults and nothing queued it writes
// at once. It reports false when the direction is done.
func (c *conn) forward(dir Direction, data []byte, out chan<- segment) bool {
	if !c.waitHealed(dir) {
		return false
	}
	p := c.p
	p.mu.Lock()
	if p.faults[dir] == (mem.Faults{}) && c.inflight[dir].Load() == 0 {
		st := p.countersLocked(dir)
		st.Segments++
		st.Bytes += uint64(len(data))
		c.sent[dir] += int64(len(data))
		p.mu.Unlock()
		if _, err := c.dst(dir).Write(data); err != nil {
			c.reset()
			return false
		}
		return true
	}
	segs, reset := c.cutLocked(dir, data, time.Now())
	p.mu.Unlock()
	for _, s := range segs {
		if !c.push(dir, out, s) {
			return false
		}
	}
	return !reset
}

// cutLocked turns data into dir's scheduled segments; reset reports that
// ResetAfterBytes was reached (the last segment is then a reset). p.mu is
// held.
func (c *conn) cutLocked(dir Direction, data []byte, now time.Time) (segs []segment, reset bool) {
	p := c.p
	f := p.faults[dir]
	sched := p.sched[dir]
	st := p.countersLocked(dir)
	for len(data) > 0 && !reset {
		size := sched.SegmentSize(f.Segment, min(len(data), p.cfg.mss))
		if f.ResetAfterBytes > 0 {
			if left := f.ResetAfterBytes - c.sent[dir]; int64(size) >= left {
				size, reset = int(max(left, 0)), true
			}
		}
		if size == 0 {
			break
		}
		at := p.scheduleLocked(dir, size+headerBytes, now)
		st.Segments++
		st.Bytes += uint64(size)
		c.sent[dir] += int64(size)
		seg := segment{data: append([]byte(nil), data[:size]...)}
		data = data[size:]
		if sched.Chance(mem.FaultLoss, f.Loss) {
			if f.VisibleStreamLoss {
				st.SegmentsLost++
				continue
			}
			rto := f.RetransmitDelay
			if rto <= 0 {
				rto = mem.DefaultRetransmitDelay
			}
			at = at.Add(rto)
			st.SegmentsStalled++
		}
		seg.at = c.laterLocked(dir, at)
		segs = append(segs, seg)
	}
	if reset {
		st.Resets++
		segs = append(segs, segment{rst: true, at: c.laterLocked(dir, p.scheduleLocked(dir, 0, now))})
	}
	return segs, reset
}

// scheduleLocked returns when a segment of size bytes (headers included)
// handed to dir now arrives: after its serialization behind the
// direction's earlier traffic, and one delay.
func (p *Proxy) scheduleLocked(dir Direction, size int, now time.Time) time.Time {
	f := &p.faults[dir]
	done := now
	if bw := f.Bandwidth; bw > 0 {
		done = laterOf(now, p.busyUntil[dir]).Add(time.Duration(int64(size) * int64(time.Second) / bw))
		p.busyUntil[dir] = done
	}
	return done.Add(p.sched[dir].Delay(*f))
}

// laterLocked keeps dir's segments in order.
func (c *conn) laterLocked(dir Direction, at time.Time) time.Time {
	at = laterOf(at, c.lastAt[dir])
	c.lastAt[dir] = at
	return at
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// control schedules dir's FIN (eof) or relayed reset.
func (c *conn) control(dir Direction, eof bool) segment {
	p := c.p
	c.waitHealed(dir)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.countersLocked(dir).Segments++
	if !eof {
		p.countersLocked(dir).Resets++
	}
	return segment{fin: eof, rst: !eof, at: c.laterLocked(dir, p.scheduleLocked(dir, 0, time.Now()))}
}

// push hands a segment to the writer; false if the connection ended.
func (c *conn) push(dir Direction, out chan<- segment, s segment) bool {
	c.inflight[dir].Add(1)
	select {
	case out <- s:
		return true
	case <-c.done:
	case <-c.p.done:
	}
	c.inflight[dir].Add(-1)
	return false
}

// waitHealed blocks while dir is partitioned, counting a held segment.
func (c *conn) waitHealed(dir Direction) bool {
	counted := false
	for {
		c.p.mu.Lock()
		if !c.p.faults[dir].Partitioned {
			c.p.mu.Unlock()
			return true
		}
		if !counted {
			c.p.countersLocked(dir).SegmentsStalled++
			counted = true
		}
		kick := c.p.kick
		c.p.mu.Unlock()
		select {
		case <-kick:
		case <-c.done:
			return false
		case <-c.p.done:
			return false
		}
	}
}

// write forwards dir's segments when they are due.
func (c *conn) write(dir Direction, in <-chan segment) {
	for s := range in {
		if !c.sleepUntil(s.at) {
			continue // drain: the reader is ending too
		}
		switch {
		case s.rst:
			c.reset()
		case s.fin:
			_ = c.dst(dir).CloseWrite()
			if c.fins.Add(1) == 2 {
				c.close()
			}
		default:
			if _, err := c.dst(dir).Write(s.data); err != nil {
				c.reset()
			}
		}
		c.inflight[dir].Add(-1)
	}
}

// reset ends the connection with a reset on both sides.
func (c *conn) reset() {
	c.once.Do(func() {
		close(c.done)
		for _, s := range []*net.TCPConn{c.side[Upstream], c.server.Load()} {
			if s != nil {
				_ = s.SetLinger(0)
				_ = s.Close()
			}
		}
	})
}

// close ends the connection gracefully (both sides had finished, or the
// proxy closes).
func (c *conn) close() {
	c.once.Do(func() {
		close(c.done)
		for _, s := range []*net.TCPConn{c.side[Upstream], c.server.Load()} {
			if s != nil {
				_ = s.Close()
			}
		}
	})
}
