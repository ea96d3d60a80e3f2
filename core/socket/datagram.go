package socket

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/transport"
)

// Datagram is Qt's QNetworkDatagram: a datagram's data and addressing.
// A received one has its sender, its destination (the address it was sent
// to: unicast, broadcast or group), the remaining hop limit and the
// receiving interface; one to send names its destination and optionally a
// hop limit and outgoing interface.
type Datagram struct {
	Data               []byte
	SenderAddress      netip.Addr
	SenderPort         int // -1: none
	DestinationAddress netip.Addr
	DestinationPort    int // -1: none
	HopLimit           int // -1: unknown, or the default when sending
	InterfaceIndex     int // 0: unknown, or the default when sending
}

// NewDatagram makes a datagram to send to addr and port (Qt's
// QNetworkDatagram(data, address, port)).
func NewDatagram(data []byte, addr netip.Addr, port int) Datagram {
	return Datagram{Data: data, SenderPort: -1, DestinationAddress: addr, DestinationPort: port, HopLimit: -1}
}

// IsValid reports whether the datagram was received or can be sent: it
// has a destination (Qt's isValid).
func (d Datagram) IsValid() bool { return d.DestinationAddress.IsValid() || d.SenderAddress.IsValid() }

// invalidDatagram is what a failed receive returns (Qt's default
// QNetworkDatagram).
func invalidDatagram() Datagram { return Datagram{SenderPort: -1, DestinationPort: -1, HopLimit: -1} }

// DefaultDatagramQueue bounds the bytes of datagrams received and not yet
// read when SetReadBufferSize has not set a bound: at the bound the reader
// stops and the system's buffer, then the network, drops what follows.
const DefaultDatagramQueue = 4 << 20

// dlink is a bound datagram socket and the reader goroutine that moves
// datagrams into a queue for the owner.
type dlink struct {
	d    transport.Datagram
	note *core.Notifier

	mu      sync.Mutex
	room    sync.Cond
	in      []Datagram
	inBytes int
	held    int // bytes in the owner's queue
	limit   int
	errs    []error
	closed  bool
	wg      sync.WaitGroup
}

func newDlink(d transport.Datagram, limit int) *dlink {
	if limit <= 0 {
		limit = DefaultDatagramQueue
	}
	l := &dlink{d: d, limit: limit}
	l.room.L = &l.mu
	return l
}

func (l *dlink) start() {
	l.wg.Add(1)
	go l.readLoop()
}

// Batched reads: the reader starts with one buffer and doubles its batch
// (up to maxBatch) while batches come back full, so only a busy socket
// holds maxBatch buffers of maxDatagramBuf bytes.
const (
	maxBatch       = 32
	maxDatagramBuf = 64 << 10
)

func (l *dlink) readLoop() {
	defer l.wg.Done()
	if b, ok := l.d.(transport.DatagramBatcher); ok {
		l.readBatches(b)
		return
	}
	buf := make([]byte, maxDatagramBuf)
	failures := 0
	for l.waitRoom() {
		n, meta, err := l.d.ReadDatagram(buf)
		if err != nil {
			if !l.readFailed(err, &failures) {
				return
			}
			continue
		}
		failures = 0
		if !l.push([]Datagram{datagramOf(append([]byte(nil), buf[:n]...), meta)}, max(n, 1)) {
			return
		}
	}
}

// readBatches is the reader over a transport that reads several
// datagrams per call: each batch is queued at once and notified once, so
// the owner's loop emits one ReadyRead for it (Qt's rule). The batch's
// data is copied into one allocation.
func (l *dlink) readBatches(b transport.DatagramBatcher) {
	msgs := []transport.DatagramMessage{{Buf: make([]byte, maxDatagramBuf)}}
	var dgs []Datagram
	failures := 0
	for l.waitRoom() {
		n, err := b.ReadDatagrams(msgs)
		if err != nil {
			if !l.readFailed(err, &failures) {
				return
			}
			continue
		}
		failures = 0
		total, cost := 0, 0
		for _, m := range msgs[:n] {
			total += m.N
			cost += max(m.N, 1) // an empty datagram still takes room
		}
		slab := make([]byte, 0, total)
		dgs = dgs[:0]
		for _, m := range msgs[:n] {
			off := len(slab)
			slab = append(slab, m.Buf[:m.N]...)
			dgs = append(dgs, datagramOf(slab[off:len(slab):len(slab)], m.Meta))
		}
		if !l.push(dgs, cost) {
			return
		}
		clear(dgs)
		if n == len(msgs) && len(msgs) < maxBatch {
			for range len(msgs) {
				msgs = append(msgs, transport.DatagramMessage{Buf: make([]byte, maxDatagramBuf)})
			}
		}
	}
}

// datagramOf makes the queued Datagram of received data and its metadata.
func datagramOf(data []byte, meta transport.DatagramMeta) Datagram {
	dg := Datagram{
		Data:               data,
		SenderAddress:      meta.Src.Addr(),
		SenderPort:         int(meta.Src.Port()),
		DestinationAddress: meta.Dst.Addr(),
		DestinationPort:    int(meta.Dst.Port()),
		HopLimit:           meta.HopLimit,
		InterfaceIndex:     meta.IfIndex,
	}
	if !meta.Dst.IsValid() {
		dg.DestinationPort = -1
	}
	return dg
}

// waitRoom waits until the queue has room for more; false once closed.
func (l *dlink) waitRoom() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.closed && l.inBytes+l.held >= l.limit {
		l.room.Wait()
	}
	return !l.closed
}

// push queues received datagrams costing cost bytes and notifies the
// owner once; false when the link closed meanwhile.
func (l *dlink) push(dgs []Datagram, cost int) bool {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return false
	}
	l.in = append(l.in, dgs...)
	l.inBytes += cost
	l.mu.Unlock()
	l.note.Notify()
	return true
}

// readFailed reports a read error to the owner; false when the reader
// must stop (the socket closed).
func (l *dlink) readFailed(err error, failures *int) bool {
	l.mu.Lock()
	if l.closed || errors.Is(err, net.ErrClosed) {
		l.mu.Unlock()
		return false
	}
	// An ICMP error on a connected socket (refused, unreachable):
	// reported, and the socket goes on.
	l.errs = append(l.errs, err)
	l.mu.Unlock()
	l.note.Notify()
	*failures++
	if *failures > 3 { // a persistent error must not spin
		time.Sleep(time.Duration(min(*failures, 100)) * time.Millisecond)
	}
	return true
}

// collect moves the received datagrams to dst.
func (l *dlink) collect(dst []Datagram) ([]Datagram, int, []error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.in)
	dst = append(dst, l.in...)
	clear(l.in)
	l.in = l.in[:0]
	l.held += l.inBytes
	l.inBytes = 0
	errs := l.errs
	l.errs = nil
	return dst, n, errs
}

func (l *dlink) consumed(n int) {
	l.mu.Lock()
	l.held = max(l.held-max(n, 1), 0)
	l.room.Signal()
	l.mu.Unlock()
}

func (l *dlink) setLimit(n int) {
	if n <= 0 {
		n = DefaultDatagramQueue
	}
	l.mu.Lock()
	l.limit = n
	l.room.Signal()
	l.mu.Unlock()
}

func (l *dlink) close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	l.room.Broadcast()
	l.mu.Unlock()
	_ = l.d.Close()
	l.wg.Wait()
}

// bindDatagram binds a datagram socket at local and starts its reader.
func (e *Engine) bindDatagram(local netip.AddrPort, mode transport.BindMode) error {
	d, err := e.cfg.Transport.BindDatagram(context.Background(), local,
		transport.BindOptions{Mode: mode, Broadcast: true, Interface: e.mcastIface})
	if err != nil {
		return err
	}
	for opt, v := range e.options {
		_ = d.SetOption(opt, v)
	}
	l := newDlink(d, e.rbufSize)
	l.note = e.NewNotifier(func() { e.dgService(l) })
	e.dg = l
	e.local = d.LocalAddrPort()
	e.valid = true
	l.start()
	return nil
}

// dgService runs on the owner when datagrams (or errors) arrived.
func (e *Engine) dgService(l *dlink) {
	if e.dg != l {
		return
	}
	var n int
	var errs []error
	e.dq, n, errs = l.collect(e.dq)
	for _, err := range errs {
		code := transport.CodeOf(err)
		if code == transport.UnknownSocketError {
			code = transport.Classify(err)
		}
		e.fail(code, "read", err)
		if e.dg != l {
			return
		}
	}
	if n > 0 {
		e.readSeq++
	}
	if len(e.dq) > 0 && !e.dgNotified {
		// Qt's rule: one ReadyRead, then none until a datagram is read.
		e.dgNotified = true
		e.ReadyRead.Emit()
	}
}

// dgRead takes the next datagram off the queue (the caller checked there
// is one) and re-arms ReadyRead.
func (e *Engine) dgRead() Datagram {
	dg := e.dq[0]
	e.dq[0] = Datagram{}
	e.dq = e.dq[1:]
	if len(e.dq) == 0 {
		e.dq = nil
	}
	e.dgNotified = false
	if e.dg != nil {
		e.dg.consumed(len(dg.Data))
		if len(e.dq) > 0 {
			e.dg.note.Notify() // the next pass says ReadyRead again
		}
	}
	return dg
}
