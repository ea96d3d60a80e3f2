package mem

import (
	"net/netip"
	"time"
)

// AckTap is a Tap that also sees the acknowledgements of TCP's clock. A
// Tap given to WithTap that implements it gets Ack calls too; the check is
// made once per connection, and a network without a tap pays nothing.
type AckTap interface {
	Tap
	// Ack sees every acknowledgement as it leaves the receiver.
	Ack(ev AckEvent)
}

// AckEvent is one acknowledgement on a link with faults: Src tells Dst
// that the first Ack bytes Dst sent on the connection have arrived, and
// that it can take Window bytes more. Acknowledgements exist only while
// the stream runs on the acknowledgement clock (a link with faults); on a
// fault-free link data arrives at once and none are sent.
type AckEvent struct {
	Time     time.Time
	Src, Dst netip.AddrPort
	Ack      uint64
	Window   int
}

// tapAckLocked queues an acknowledgement of p's bytes for the tap; c.mu is
// held and unlock shows it.
func (p *pipe) tapAckLocked(now time.Time) {
	if c := p.dst.c; c != nil && c.ackTap != nil {
		c.acks = append(c.acks, AckEvent{Time: now, Src: p.dst.local, Dst: p.src.local,
			Ack: p.dl, Window: int(p.rd + uint64(p.dst.opts.rcvbuf) - p.dl)})
	}
}

// tapRetransmitLocked marks the event of the segment just queued as lost
// and sent again after rto.
func (p *pipe) tapRetransmitLocked(i int, rto time.Duration) {
	if c := p.src.c; c.tap != nil && i >= 0 && i < len(c.events) {
		c.events[i].Retransmit = rto
	}
}
