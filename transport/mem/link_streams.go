package mem

import (
	"cmp"
	"slices"
	"time"
)

// changed reacts to new faults: it re-arms the ResetAt timer if ResetAt
// moved and kicks every stream crossing the link, in connection order, so
// that a healed partition releases their stalled segments.
func (l *Link) changed() {
	l.mu.Lock()
	l.armResetLocked()
	conns := l.connsLocked()
	l.mu.Unlock()
	for _, c := range conns {
		c.kick()
	}
}

// connsLocked returns the link's connections sorted by creation, so that
// whatever is done to all of them happens in a reproducible order.
func (l *Link) connsLocked() []*conn {
	out := make([]*conn, 0, len(l.conns))
	for c := range l.conns {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *conn) int { return cmp.Compare(a.id, b.id) })
	return out
}

func (l *Link) armResetLocked() {
	at := l.faults.ResetAt
	if at.Equal(l.armedResetAt) {
		return
	}
	l.armedResetAt = at
	if l.resetTimer != nil {
		l.resetTimer.Stop()
		l.resetTimer = nil
	}
	if at.IsZero() {
		return
	}
	l.resetTimer = time.AfterFunc(max(time.Until(at), 0), l.fireReset)
}

// fireReset resets every stream crossing the link (Faults.ResetAt).
func (l *Link) fireReset() {
	l.mu.Lock()
	l.resetTimer = nil
	conns := l.connsLocked()
	l.mu.Unlock()
	for _, c := range conns {
		c.resetBoth()
	}
}

// attachConn and detachConn register a connection with the link.
// attachConn refuses once the network is closed: checked under l.mu, which
// Network.Close takes after closing, so every connection is either seen by
// Close or refused.
func (l *Link) attachConn(c *conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.from.net.Closed() {
		return false
	}
	l.conns[c] = struct{}{}
	return true
}

func (l *Link) detachConn(c *conn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

// isCut reports whether the link is cut.
func (l *Link) isCut() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.faults.Partitioned
}

// synTransit decides the fate of one control segment (SYN, SYN-ACK or RST)
// entering the link now: ok is false if it is lost or partitioned away,
// else d is its one-way delay. Loss draws from the loss stream as data
// segments do.
func (l *Link) synTransit() (d time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.faults.Partitioned {
		l.stats.PartitionedDrops++
		return 0, false
	}
	l.stats.Segments++
	if l.chanceLocked(FaultLoss, l.faults.Loss) {
		l.stats.SegmentsStalled++
		return 0, false
	}
	return l.delayLocked(), true
}
