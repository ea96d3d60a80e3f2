package mem

import (
	"container/heap"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// ReorderWindow is how long a datagram chosen for reordering waits for a
// datagram to overtake it: it is delivered right behind the next datagram
// on its link, or ReorderWindow after its own delivery time if none comes.
const ReorderWindow = 10 * time.Millisecond

type dgKind uint8

const (
	kindUnicast dgKind = iota
	kindBroadcast
	kindMulticast
)

// delivery is one datagram on its way to one host.
type delivery struct {
	kind dgKind
	to   *Host
	ifc  *iface // the receiving interface (broadcast, multicast)
	meta transport.DatagramMeta
	from *DatagramSocket // the sender, told when nobody listens

	// Scheduling, guarded by the link's dgLink.mu.
	buf  *[]byte   // the payload while in flight
	at   time.Time // delivery time
	due  time.Time // delivery time before a reorder hold
	seq  uint64    // ties on at go in send order
	idx  int       // heap index
	held bool      // waiting for the next datagram to overtake it

	full bool // set by deliver: only full queues would have taken it
}

// dgLink schedules one link direction's datagrams: a heap ordered by
// delivery time and send order, drained by one timer, so datagrams with
// equal delays arrive in the order sent. It is a field of its Link.
type dgLink struct {
	mu         sync.Mutex // guards every field below
	q          deliveryHeap
	seq        uint64
	timer      *time.Timer
	delivering bool        // a goroutine is delivering; others leave it to it
	batch      []*delivery // the deliverer's scratch
	held       *delivery   // the datagram held back for reordering
	site       *site       // the send that armed the timer from idle (WithCreationSites)
}

func (l *Link) dg() *dgLink { return &l.datagrams }

// sendDatagram puts one datagram on the link: it decides its fate from the
// link's faults, reports it to the tap, and delivers it now (no delay) or
// schedules it.
func (l *Link) sendDatagram(d *delivery, data []byte) {
	now := time.Now()
	ev := DatagramEvent{Time: now, Src: d.meta.Src, Dst: d.meta.Dst, Data: data}
	inline := false
	l.mu.Lock()
	f := &l.faults
	switch {
	case f.Partitioned:
		l.stats.PartitionedDrops++
		ev.Dropped = true
	case l.chanceLocked(FaultLoss, f.Loss):
		l.stats.DatagramsLost++
		ev.Dropped = true
	default:
		copies := 1
		if l.chanceLocked(FaultDuplicate, f.Duplicate) {
			copies = 2
			l.stats.DatagramsDuplicated++
			ev.Duplicated = true
		}
		reorder := l.chanceLocked(FaultReorder, f.Reorder)
		l.stats.DatagramsDelivered += uint64(copies)
		inline = l.scheduleLocked(d, data, now, copies, reorder)
	}
	l.mu.Unlock()
	if inline && !d.deliver(data) && d.kind == kindUnicast {
		ev.Dropped = d.full
	}
	if tap := l.from.net.tap; tap != nil {
		tap.Datagram(ev)
	}
}

// scheduleLocked queues copies of the datagram on the link's heap, or
// reports true when it can be delivered at once: no delay, nothing queued
// ahead of it. l.mu must be held.
func (l *Link) scheduleLocked(d *delivery, data []byte, now time.Time, copies int, reorder bool) bool {
	f := &l.faults
	g := l.dg()
	g.mu.Lock()
	defer g.mu.Unlock()
	depart := now
	if f.Bandwidth > 0 {
		depart = laterOf(now, l.busyUntil).Add(transmitTime(len(data), f.Bandwidth))
		l.busyUntil = depart
	}
	for i := range copies {
		at := depart.Add(l.delayLocked())
		if t := l.from.net.tie; t != nil {
			at = at.Add(t.offset(d.meta.Src, d.meta.Dst, tieDatagram, payloadKey(data)))
		}
		if copies == 1 && !reorder && !at.After(now) && g.idleLocked() {
			return true
		}
		if len(g.q) == 0 && l.from.net.life.sites {
			g.site = newSite()
		}
		c := *d
		c.buf, c.at, c.due = getBuf(data), at, at
		if i == 0 && reorder && g.held == nil {
			l.stats.DatagramsReordered++
			c.held, c.at = true, at.Add(ReorderWindow)
			g.held = &c
			g.pushLocked(&c)
			continue
		}
		g.pushLocked(&c)
		g.releaseHeldLocked(&c)
	}
	g.armLocked()
	return false
}

func transmitTime(n int, bandwidth int64) time.Duration {
	return time.Duration(int64(n+headerIPv4) * int64(time.Second) / bandwidth)
}

func (g *dgLink) idleLocked() bool { return len(g.q) == 0 && !g.delivering }

func (g *dgLink) pushLocked(d *delivery) {
	g.seq++
	d.seq = g.seq
	heap.Push(&g.q, d)
}

// releaseHeldLocked lets the held datagram go right behind next.
func (g *dgLink) releaseHeldLocked(next *delivery) {
	h := g.held
	if h == nil || h == next {
		return
	}
	g.held = nil
	h.held = false
	h.at = laterOf(h.due, next.at)
	g.seq++
	h.seq = g.seq
	heap.Fix(&g.q, h.idx)
}

// armLocked sets the timer for the earliest delivery.
func (g *dgLink) armLocked() {
	if len(g.q) == 0 || g.delivering {
		return
	}
	wait := time.Until(g.q[0].at)
	if g.timer == nil {
		g.timer = time.AfterFunc(wait, g.fire)
		return
	}
	g.timer.Reset(wait)
}

// fire delivers every datagram that is due, in order, outside the lock;
// only one goroutine delivers at a time.
func (g *dgLink) fire() {
	g.mu.Lock()
	if g.delivering {
		g.mu.Unlock()
		return
	}
	g.delivering = true
	for {
		now := time.Now()
		batch := g.batch[:0]
		for len(g.q) > 0 && !g.q[0].at.After(now) {
			d := heap.Pop(&g.q).(*delivery)
			if d == g.held {
				g.held = nil
			}
			batch = append(batch, d)
		}
		g.batch = batch
		if len(batch) == 0 {
			break
		}
		g.mu.Unlock()
		for i, d := range batch {
			d.deliver(*d.buf)
			putBuf(d.buf)
			batch[i] = nil
		}
		g.mu.Lock()
	}
	g.delivering = false
	g.armLocked()
	g.mu.Unlock()
}

// deliveryHeap orders deliveries by time, then send order.
type deliveryHeap []*delivery

func (h deliveryHeap) Len() int { return len(h) }
func (h deliveryHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h deliveryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *deliveryHeap) Push(x any) {
	d := x.(*delivery)
	d.idx = len(*h)
	*h = append(*h, d)
}
func (h *deliveryHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return d
}
