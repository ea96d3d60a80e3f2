package mem

import (
	"math"
	"time"
)

// TCP's clock on a link with faults. Write puts bytes in the send buffer
// and transmit cuts them into segments of at most the MSS, as far as the
// receiver's window (learnt from acknowledgements) and the congestion
// window allow. Every arrival sends an acknowledgement back over the
// reverse link, one Latency later (no jitter, loss or bandwidth: it is
// small and cumulative) and held by a partition; so does every Read, as
// the window update that reopens the window. Acknowledgements free the
// send buffer and move the window, so the writer is clocked by them, not
// by the reader. Every decision happens in a Write, a Read or the pipe's
// timer, which under testing/synctest fires only when the bubble is idle,
// so segment sizes and times depend on the seed and the byte stream, not
// on which goroutine ran first.

// DefaultInitialWindow is the congestion window a stream starts with when
// slow start is on, in segments: Linux's IW10 (RFC 6928).
const DefaultInitialWindow = 10

// WithSlowStart turns slow start on for every stream of the network: the
// congestion window starts at the initial window (WithInitialWindow) and
// grows by every byte acknowledged, doubling each round trip. Without it
// (the default) only the receive window and the send buffer limit a
// stream, as on a warmed-up connection.
func WithSlowStart(on bool) Option { return optionFunc(func(n *Network) { n.slowStart = on }) }

// WithInitialWindow sets slow start's initial congestion window in
// segments (default DefaultInitialWindow); values below 1 are 1.
func WithInitialWindow(segments int) Option {
	return optionFunc(func(n *Network) { n.initialWindow = max(segments, 1) })
}

// ackSeg is an acknowledgement travelling back from dst to src: everything
// before ack has arrived, and dst can take bytes up to right.
type ackSeg struct {
	ack, right uint64
	at         time.Time
}

// startClockLocked switches the pipe to the acknowledgement clock, from a
// quiet pipe on the fast path: the sender knows the receiver's window.
func (p *pipe) startClockLocked() {
	if p.clocked {
		return
	}
	p.clocked = true
	p.una, p.nxt = p.wr, p.wr
	p.right = p.rd + uint64(p.dst.opts.rcvbuf)
}

// quietLocked reports whether nothing is in flight, unacknowledged, unsent
// or held, so that the fault-free fast path may take over.
func (p *pipe) quietLocked() bool {
	return p.inflight.len() == 0 && p.acks.len() == 0 && !p.held && !p.ackHeld &&
		p.nxt == p.wr && p.una == p.wr && !p.finPending
}

// sendRoomLocked is how many more bytes Write may accept now.
func (p *pipe) sendRoomLocked() int {
	room := p.limit - int(p.wr-p.rd)
	if p.clocked {
		room = min(room, p.src.opts.sndbuf-int(p.wr-p.una))
	}
	return room
}

// ackLocked sends dst's acknowledgement of what has arrived and its
// window; acknowledgements due at the same time are one.
func (p *pipe) ackLocked(now time.Time) {
	p.tapAckLocked(now)
	a := ackSeg{ack: p.dl, right: p.rd + uint64(p.dst.opts.rcvbuf), at: now.Add(p.dst.out.link.Faults().Latency)}
	if n := p.acks.len(); n > 0 {
		if last := p.acks.at(n - 1); !a.at.After(last.at) {
			last.ack, last.right = max(last.ack, a.ack), max(last.right, a.right)
			return
		}
	}
	p.acks.push(a)
}

// ackArrivedLocked applies an acknowledgement at src: the send buffer and
// the window open, slow start grows the congestion window.
func (p *pipe) ackArrivedLocked(a ackSeg) {
	if a.ack > p.una {
		if p.cwnd < math.MaxInt {
			p.cwnd += int(a.ack - p.una)
		}
		p.una = a.ack
	}
	p.right = max(p.right, a.right)
	wakeOne(p.writable)
}

// transmitLocked sends what the windows allow of the unsent bytes, then a
// pending FIN. A partial segment waits while the Write that put it is
// still adding bytes (more) and has room to, so segments are cut at the
// MSS of the byte stream and at the ends of Writes.
func (p *pipe) transmitLocked(now time.Time) (reset bool) {
	l := p.link
	l.mu.Lock()
	f := &l.faults
	for p.nxt < p.wr && !reset {
		avail := int(p.wr - p.nxt)
		lim := min(avail, p.mss)
		if p.right <= p.nxt || p.cwnd <= int(p.nxt-p.una) {
			break
		}
		lim = min(lim, int(p.right-p.nxt), p.cwnd-int(p.nxt-p.una))
		if lim == avail && avail < p.mss && p.more && !p.finPending && int(p.wr-p.una) < p.src.opts.sndbuf {
			break
		}
		size := l.segmentSizeLocked(f.Segment, lim)
		if f.ResetAfterBytes > 0 {
			if left := f.ResetAfterBytes - p.sent; int64(size) >= left {
				size, reset = int(max(left, 0)), true
			}
		}
		if size > 0 {
			p.segmentOneLocked(size, now)
		}
	}
	if reset {
		p.wr = p.nxt // what was not sent is lost with the connection
		p.finPending = false
		p.queueControlLocked(false, true, now)
	} else if p.finPending && p.nxt == p.wr {
		p.finPending = false
		p.queueControlLocked(true, false, now)
	}
	l.mu.Unlock()
	return reset
}

// queueControlLocked queues a FIN or RST behind everything sent; l.mu is
// held.
func (p *pipe) queueControlLocked(fin, rst bool, now time.Time) {
	l := p.link
	at := laterOf(p.scheduleLocked(0, now), p.lastAt)
	p.lastAt = at
	l.stats.Segments++
	if rst {
		l.stats.Resets++
	}
	p.inflight.push(streamSeg{end: p.nxt, at: at, fin: fin, rst: rst})
	if c := p.src.c; c.tap != nil {
		c.events = append(c.events, StreamEvent{Time: now, Src: p.src.local, Dst: p.src.remote, FIN: fin, RST: rst})
	}
}

// pathMSS is the largest segment payload between two addresses: the
// smaller MTU of the interfaces at both ends minus the IP and TCP headers.
func pathMSS(src, dst *Host, from, to *Conn) int {
	mtu := DefaultMTU
	if ifc := src.ifaceFor(from.local.Addr()); ifc != nil && ifc.MTU > 0 {
		mtu = ifc.MTU
	}
	if ifc := dst.ifaceFor(to.local.Addr()); ifc != nil && ifc.MTU > 0 {
		mtu = min(mtu, ifc.MTU)
	}
	return max(mtu-streamHeaders(from.local.Addr().Unmap().Is4()), 1)
}

// streamHeaders is the IP and TCP header bytes of one segment, which the
// link's Bandwidth carries with its payload.
func streamHeaders(v4 bool) int {
	if v4 {
		return 40
	}
	return 60
}
