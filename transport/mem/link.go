package mem

import (
	"sync"
	"time"
)

// Link is one direction of the path between two hosts (from → to); a host's
// path to itself (loopback) is a link too. Its faults apply to every stream
// segment and datagram that crosses it, and may change while traffic flows.
type Link struct {
	from, to *Host

	mu     sync.Mutex // guards every field below
	faults Faults
	draws  draws // the seeded streams of each fault kind (schedule.go)
	stats  LinkCounters

	// conns are the stream connections crossing the link, kicked when the
	// faults change (a healed partition releases their stalled segments).
	conns map[*conn]struct{}
	// busyUntil is when the link finishes serializing what it was given
	// (Bandwidth); a new segment starts no earlier.
	busyUntil time.Time
	// resetTimer fires at Faults.ResetAt; armedResetAt is the time it was
	// armed for, so that changing other faults does not re-arm it.
	resetTimer   *time.Timer
	armedResetAt time.Time

	// datagrams schedules the link's datagrams; it has its own lock.
	datagrams dgLink
}

type linkKey struct{ from, to *Host }

// Link returns the link from → to, creating it (fault-free) on first use.
func (n *Network) Link(from, to *Host) *Link {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := linkKey{from, to}
	if l := n.links[k]; l != nil {
		return l
	}
	l := &Link{from: from, to: to, faults: n.linkFaults, draws: newDraws(n.seed, from.name, to.name),
		conns: make(map[*conn]struct{})}
	n.links[k] = l
	if !l.faults.ResetAt.IsZero() { // WithLinkFaults
		l.mu.Lock()
		l.armResetLocked()
		l.mu.Unlock()
	}
	return l
}

// SetFaults replaces the link's faults; traffic already in flight keeps the
// faults it was sent under.
func (l *Link) SetFaults(f Faults) {
	l.mu.Lock()
	l.faults = f
	l.mu.Unlock()
	l.changed()
}

// Faults returns the link's current faults.
func (l *Link) Faults() Faults {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.faults
}

// Update changes the link's faults through fn, atomically.
func (l *Link) Update(fn func(*Faults)) {
	l.mu.Lock()
	fn(&l.faults)
	l.mu.Unlock()
	l.changed()
}

// From and To return the link's ends.
func (l *Link) From() *Host { return l.from }

// To returns the host the link delivers to.
func (l *Link) To() *Host { return l.to }

// chanceLocked draws from kind's stream and reports whether an event of
// probability p fires. p <= 0 never fires and draws nothing. Each (link
// direction, kind) pair has its own stream seeded from the network seed
// and the host names, so adding a fault or a connection never shifts
// another's draws. l.mu must be held.
func (l *Link) chanceLocked(kind FaultKind, p float64) bool { return l.draws.chance(kind, p) }

// delayLocked returns latency plus a jitter drawn uniformly from
// [0, Jitter].
func (l *Link) delayLocked() time.Duration { return l.draws.delay(l.faults) }

// Partition cuts both directions between a and b; Heal restores them.
func (n *Network) Partition(a, b *Host) {
	n.Link(a, b).Update(func(f *Faults) { f.Partitioned = true })
	n.Link(b, a).Update(func(f *Faults) { f.Partitioned = true })
}

// Heal undoes Partition.
func (n *Network) Heal(a, b *Host) {
	n.Link(a, b).Update(func(f *Faults) { f.Partitioned = false })
	n.Link(b, a).Update(func(f *Faults) { f.Partitioned = false })
}
