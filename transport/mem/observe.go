package mem

import (
	"net/netip"
	"time"
)

// Tap observes traffic crossing the network. It is called synchronously on
// the sending side, must not block, and must not call back into the network.
type Tap interface {
	// Stream sees every stream segment as it enters a link.
	Stream(ev StreamEvent)
	// Datagram sees every datagram as it enters a link, with its fate.
	Datagram(ev DatagramEvent)
}

// StreamEvent is one stream segment on a link.
type StreamEvent struct {
	Time     time.Time
	Src, Dst netip.AddrPort
	Data     []byte // valid only during the call
	// SYN marks a handshake segment (the dialer's SYN, the listener's
	// SYN-ACK); FIN a graceful close; RST a reset or a refusal.
	SYN, FIN, RST bool
	// Retransmit is set on a data segment that is lost: the sender
	// sends it again (the same bytes) this long after Time
	// (Faults.RetransmitDelay), and the stream stalls until then.
	Retransmit time.Duration
}

// DatagramEvent is one datagram on a link.
type DatagramEvent struct {
	Time       time.Time
	Src, Dst   netip.AddrPort
	Data       []byte // valid only during the call
	Dropped    bool   // lost, partitioned, or no room at the receiver
	Duplicated bool
}

// HostCounters count a host's traffic. Read them with Host.Counters.
type HostCounters struct {
	StreamBytesSent, StreamBytesReceived uint64
	DatagramsSent, DatagramsReceived     uint64
	DatagramsDropped                     uint64 // receive queue full
	// ConnectionsRefused counts this host's dials answered by a reset;
	// Resets counts streams of this host that were reset.
	ConnectionsRefused, Resets uint64
}

// LinkCounters count what crossed a link direction. Read them with
// Link.Counters.
type LinkCounters struct {
	Segments, Bytes                           uint64
	DatagramsDelivered, DatagramsLost         uint64
	DatagramsDuplicated, DatagramsReordered   uint64
	SegmentsStalled, Resets, PartitionedDrops uint64
	// SegmentsLost counts stream segments dropped for good
	// (Faults.VisibleStreamLoss).
	SegmentsLost uint64
}

// Counters returns a snapshot of the link's counters.
func (l *Link) Counters() LinkCounters {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}
