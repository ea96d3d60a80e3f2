package mem

import (
	"io"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// Conn is one end of an in-memory stream connection: a transport.Stream
// (and so a net.Conn) with TCP's semantics. Host.Dial and Listener.Accept
// return it. Its methods are safe for concurrent use.
type Conn struct {
	c             *conn
	host          *Host
	peer          *Conn
	in, out       *pipe // what this end reads, what it writes
	local, remote netip.AddrPort
	bound         *binding // the dialing end's port; nil on an accepted end

	rdl, wdl opDeadline
	wsem     chan struct{} // one Write at a time, acquired with select
	rsem     chan struct{} // one Read at a time, acquired with select
	done     chan struct{} // closed by Close and Abort; wakes a Read or Write awaiting its turn

	// Guarded by c.mu.
	closed     bool // Close or Abort was called
	wclosed    bool // no more writes: CloseWrite, Close or a FIN queued
	reset      bool // the connection was reset (or timed out: see ended)
	ended      endCause
	kaTimer    *time.Timer // ends the stream if keepalive probes go unanswered
	rstReplied bool        // a reset was sent to the peer; never send another
	opts       streamOpts

	segs []int // guarded by wsem: segment sizes of the chunk being written, for the tap
}

var (
	_ transport.Stream = (*Conn)(nil)
	_ net.Conn         = (*Conn)(nil)
)

// conn is what the two ends share: one lock for both directions.
type conn struct {
	id  uint64
	tap Tap
	// ackTap is tap if it implements AckTap (observe_ack.go); acks are
	// its acknowledgements, shown by unlock like events.
	ackTap AckTap
	acks   []AckEvent
	mu     sync.Mutex // guards both ends' c.mu fields, both pipes and the fields below
	// tapMu orders the tap's view: held from before c.mu is released until
	// the segments queued under it are shown.
	tapMu sync.Mutex
	ends  [2]*Conn
	// events are control segments (FIN, RST) for the tap, emitted by unlock
	// after the lock is released.
	events   []StreamEvent
	finished bool // both ends closed: timers stopped, links detached
	// sites are where the ends were dialed and accepted, nil unless the
	// network records them (WithCreationSites; out of line, so that a
	// network without them allocates nothing more per connection).
	sites *[2]*site
}

// unlock releases c.mu and then shows the queued segments to the tap.
func (c *conn) unlock() { c.unlockData(nil, nil) }

// unlockData releases c.mu and shows the tap the queued segments, then
// the segments of b that e's fast-path Write just sent (e.segs). tapMu,
// taken before c.mu is released, keeps the tap's order the order in
// which segments were sent; so a Tap must not write to the streams it
// observes.
func (c *conn) unlockData(e *Conn, b []byte) {
	if c.tap == nil || (len(c.events) == 0 && len(c.acks) == 0 && len(b) == 0) {
		c.mu.Unlock()
		return
	}
	c.tapMu.Lock()
	defer c.tapMu.Unlock()
	evs, acks := c.events, c.acks
	c.events, c.acks = nil, nil
	c.mu.Unlock()
	for _, ev := range evs {
		c.tap.Stream(ev)
	}
	for _, a := range acks {
		c.ackTap.Ack(a)
	}
	if len(b) > 0 {
		e.tapData(b)
	}
}

// Read reads what has arrived, blocking until something has, the peer's
// FIN (io.EOF once drained), a reset, Close or the read deadline. Reads
// take turns; a large copy runs outside the lock.
func (e *Conn) Read(b []byte) (int, error) {
	if err := e.acquire(e.rsem, &e.rdl, "read"); err != nil {
		return 0, err
	}
	defer func() { <-e.rsem }()
	p := e.in
	for {
		e.c.mu.Lock()
		p.waiter = nil
		if n := p.handed; n > 0 { // a Write copied into b while we waited
			p.handed = 0
			wakeOne(p.writable) // a large Write may wait for this
			e.c.mu.Unlock()
			return n, nil
		}
		if p.dl > p.rd && len(b) > 0 && !e.closed && !e.rdl.expired() {
			return e.readData(b)
		}
		n, err, ok := e.readLocked(b)
		if !ok {
			p.waiter = b
		}
		e.c.mu.Unlock()
		if ok {
			return n, err
		}
		<-p.readable // also signalled by Close and the read deadline
	}
}

// readData copies out what has arrived; c.mu is held and is released.
func (e *Conn) readData(b []byte) (int, error) {
	p := e.in
	n := p.readableLocked(len(b))
	start, r := p.rd, p.data
	if n >= bigCopy {
		p.copying = true
		e.c.mu.Unlock()
		r.get(start, b[:n])
		e.c.mu.Lock()
		p.copying = false
		if e.closed {
			p.discardLocked(true) // what a Close meanwhile left for us
			e.c.mu.Unlock()
			return 0, streamClosedErr("read", e.local)
		}
	} else {
		r.get(start, b[:n])
	}
	p.consumeLocked(start, n)
	e.c.unlock() // shows the tap the window update, if any
	return n, nil
}

// readLocked decides a Read that finds no data; ok is false if it must wait.
func (e *Conn) readLocked(b []byte) (n int, err error, ok bool) {
	p := e.in
	switch {
	case e.closed:
		return 0, streamClosedErr("read", e.local), true
	case e.rdl.expired():
		return 0, streamTimeoutErr("read", e.local), true
	case e.reset:
		return 0, e.resetErr("read"), true
	case p.eof:
		return 0, io.EOF, true
	case len(b) == 0 || p.dl > p.rd:
		return 0, nil, true
	}
	return 0, nil, false
}

// Write writes all of b, blocking while the peer's receive buffer and the
// bytes in flight fill the window, until the reader reads, the connection
// ends or the write deadline passes; n counts the bytes accepted.
func (e *Conn) Write(b []byte) (n int, err error) {
	if err := e.acquire(e.wsem, &e.wdl, "write"); err != nil {
		return 0, err
	}
	defer func() { <-e.wsem }()
	p := e.out
	for {
		e.c.mu.Lock()
		if err := e.writeErrLocked(); err != nil || len(b) == 0 {
			if p.more {
				p.flushLocked()
			}
			e.c.unlock()
			return n, err
		}
		free := p.sendRoomLocked()
		if free <= 0 || p.collectingLocked(len(b)) {
			e.c.mu.Unlock()
			<-p.writable // also signalled by Close and the write deadline
			continue
		}
		chunk := b[:min(free, len(b))]
		var k int
		if len(chunk) >= bigCopy && p.fastLocked() {
			k, err = p.sendBigLocked(chunk)
		} else {
			k, err = p.sendLocked(chunk, len(chunk) < len(b))
		}
		e.c.unlockData(e, chunk[:k])
		n += k
		b = b[k:]
		if err != nil || len(b) == 0 {
			// A reset that this write provoked (data for a closed peer)
			// fails the next write, not this one, as on TCP.
			return n, err
		}
	}
}

// collectingLocked reports whether a Write of n more bytes should wait for
// the Read it handed bytes to to take them, instead of copying into the ring:
// that Read returns and asks again at once, and handing it the next bytes
// directly copies them once, where the ring copies them twice. The wait
// ends as soon as the woken Read runs, so it never waits on the peer's user
// code.
func (p *pipe) collectingLocked(n int) bool {
	return p.handed > 0 && n >= bigCopy
}

// acquire takes a Read or Write turn, or fails on Close or the deadline.
func (e *Conn) acquire(sem chan struct{}, d *opDeadline, op string) error {
	select {
	case sem <- struct{}{}:
		return nil
	default:
	}
	select {
	case sem <- struct{}{}:
		return nil
	case <-e.done:
		return streamClosedErr(op, e.local)
	case <-d.wait():
		return streamTimeoutErr(op, e.local)
	}
}

func (e *Conn) writeErrLocked() error {
	switch {
	case e.closed:
		return streamClosedErr("write", e.local)
	case e.wdl.expired():
		return streamTimeoutErr("write", e.local)
	case e.reset:
		return e.resetErr("write")
	case e.wclosed:
		return streamShutdownErr(e.local)
	}
	return nil
}

// tapData shows the segments just written to the tap.
func (e *Conn) tapData(b []byte) {
	if e.c.tap == nil {
		return
	}
	now := time.Now()
	for _, size := range e.segs {
		e.c.tap.Stream(StreamEvent{Time: now, Src: e.local, Dst: e.remote, Data: b[:size]})
		b = b[size:]
	}
}

// LocalAddr returns the local address as a *net.TCPAddr.
func (e *Conn) LocalAddr() net.Addr { return net.TCPAddrFromAddrPort(e.local) }

// RemoteAddr returns the peer's address as a *net.TCPAddr.
func (e *Conn) RemoteAddr() net.Addr { return net.TCPAddrFromAddrPort(e.remote) }

// LocalAddrPort returns the local address.
func (e *Conn) LocalAddrPort() netip.AddrPort { return e.local }

// RemoteAddrPort returns the peer's address.
func (e *Conn) RemoteAddrPort() netip.AddrPort { return e.remote }

// SetDeadline sets the read and write deadlines.
func (e *Conn) SetDeadline(t time.Time) error {
	e.rdl.set(t)
	e.wdl.set(t)
	return nil
}

// SetReadDeadline sets the deadline of pending and future Reads.
func (e *Conn) SetReadDeadline(t time.Time) error {
	e.rdl.set(t)
	return nil
}

// SetWriteDeadline sets the deadline of pending and future Writes.
func (e *Conn) SetWriteDeadline(t time.Time) error {
	e.wdl.set(t)
	return nil
}
