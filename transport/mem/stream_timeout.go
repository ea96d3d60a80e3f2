package mem

import "time"

// DefaultRetransmitRetries is how many times a stream retransmits a
// segment that meets a partition before it gives up: Linux's tcp_retries2.
const DefaultRetransmitRetries = 15

// Linux's bounds of the retransmission timeout, which RetransmitTimeout
// doubles from the minimum up to the maximum.
const (
	rtoMin = 200 * time.Millisecond
	rtoMax = 120 * time.Second
)

// Keepalive defaults, those of package net: the first probe after 15 s of
// silence, then one every 15 s, nine unanswered probes end the stream.
const (
	DefaultKeepAliveIdle     = 15 * time.Second
	DefaultKeepAliveInterval = 15 * time.Second
	DefaultKeepAliveCount    = 9
)

// RetransmitTimeout returns how long a stream waits for an acknowledgement
// over retries retransmissions before it fails, computed as Linux does
// (tcp_retries2): the timeout starts at 200 ms and doubles up to 120 s.
// RetransmitTimeout(15) is 924.6 s.
func RetransmitTimeout(retries int) time.Duration {
	var total time.Duration
	rto := rtoMin
	for range retries + 1 {
		total += rto
		rto = min(2*rto, rtoMax)
	}
	return total
}

// WithRetransmitRetries sets how many retransmissions a stream makes
// across a partition before both ends fail with SocketTimeoutError
// wrapping syscall.ETIMEDOUT (default DefaultRetransmitRetries; see
// RetransmitTimeout for the time it takes). n < 0 is taken as 0.
func WithRetransmitRetries(n int) Option {
	return optionFunc(func(nw *Network) { nw.retransmitBudget = RetransmitTimeout(max(n, 0)) })
}

// stallLocked notes that the head segment met a partition now: the first
// stall starts the retransmission budget.
func (p *pipe) stallLocked(now time.Time) {
	if !p.stalledAt.IsZero() {
		return
	}
	p.stalledAt = now
	budget := p.src.host.net.retransmitBudget
	if p.stallTimer == nil {
		p.stallTimer = time.AfterFunc(budget, p.onStallTimeout)
		return
	}
	p.stallTimer.Reset(budget)
}

// unstallLocked ends a stall: the partition healed or the data went.
func (p *pipe) unstallLocked() {
	p.stalledAt = time.Time{}
	if p.stallTimer != nil {
		p.stallTimer.Stop()
	}
}

func (p *pipe) onStallTimeout() {
	c := p.src.c
	c.mu.Lock()
	if !c.finished && (p.held || p.ackHeld) {
		c.timeOutLocked()
	}
	c.unlock()
}

// timeOutLocked ends the connection at both ends with a timeout, as TCP
// does when its retransmissions or keepalive probes go unanswered: what
// is in flight is lost, what has arrived can still be read first.
func (c *conn) timeOutLocked() {
	for _, e := range c.ends {
		e.out.dropInflightLocked()
		e.out.unstallLocked()
		e.stopKeepAliveLocked()
		if e.closed || e.reset {
			continue
		}
		e.reset = true
		e.ended = endTimeout
		wakeOne(e.in.readable)
		wakeOne(e.out.writable)
	}
}

// keepAliveLocked starts or stops this end's keepalive probes after a
// fault change: while the path to the peer is cut, probes go unanswered,
// and the stream fails DefaultKeepAliveCount intervals after the first
// one. The first probe is due one idle period after the cut, as if the
// last segment had arrived when the cut began.
func (e *Conn) keepAliveLocked() {
	cut := e.out.link.isCut() || e.in.link.isCut()
	if !cut || !e.opts.keepAlive || e.closed || e.reset {
		e.stopKeepAliveLocked()
		return
	}
	if e.kaTimer != nil {
		return // already counting since the cut began
	}
	idle, intvl := e.opts.keepAliveTimes()
	e.kaTimer = time.AfterFunc(idle+DefaultKeepAliveCount*intvl, e.onKeepAliveTimeout)
}

func (e *Conn) stopKeepAliveLocked() {
	if e.kaTimer != nil {
		e.kaTimer.Stop()
		e.kaTimer = nil
	}
}

// onKeepAliveTimeout ends an idle stream whose probes went unanswered.
// Data waiting for its acknowledgement suspends keepalive, as on Linux:
// the retransmission budget ends such a stream instead.
func (e *Conn) onKeepAliveTimeout() {
	c := e.c
	c.mu.Lock()
	e.kaTimer = nil
	if !c.finished && !e.out.held && !e.closed && !e.reset {
		c.timeOutLocked()
	}
	c.unlock()
}

// keepAliveTimes returns the probes' idle time and interval: the dial's
// KeepAlive for both, as package net does, else the defaults.
func (o *streamOpts) keepAliveTimes() (idle, intvl time.Duration) {
	if o.keepAlivePeriod > 0 {
		return o.keepAlivePeriod, o.keepAlivePeriod
	}
	return DefaultKeepAliveIdle, DefaultKeepAliveInterval
}
