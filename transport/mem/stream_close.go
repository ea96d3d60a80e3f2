package mem

import "time"

// Close closes the connection: blocked and later Reads and Writes on this
// end fail with an error wrapping net.ErrClosed, and a FIN follows the data
// already written, which the peer still receives in full. Data that arrives
// afterwards is answered with a reset, as TCP answers data for a closed
// socket.
func (e *Conn) Close() error {
	c := e.c
	c.mu.Lock()
	if e.closed {
		c.mu.Unlock()
		return streamClosedErr("close", e.local)
	}
	e.closeLocked()
	if !e.wclosed && !e.reset {
		e.out.sendControlLocked(true, false)
	}
	e.wclosed = true
	e.in.discardLocked(true)
	e.finishLocked()
	c.unlock()
	e.host.unbind(e.bound)
	return nil
}

// CloseWrite shuts down the sending direction: the peer reads what was
// written, then io.EOF; this end can still read. Idempotent.
func (e *Conn) CloseWrite() error {
	c := e.c
	c.mu.Lock()
	switch {
	case e.closed:
		c.mu.Unlock()
		return streamClosedErr("close", e.local)
	case e.wclosed || e.reset:
		c.mu.Unlock()
		return nil
	}
	e.wclosed = true
	e.out.sendControlLocked(true, false)
	wakeOne(e.out.writable)
	c.unlock()
	return nil
}

// Abort closes at once: this end's data still in flight is discarded and
// the peer gets a reset, so its Reads fail with RemoteHostClosedError once
// it has read what had already arrived, and its Writes fail.
func (e *Conn) Abort() error {
	c := e.c
	c.mu.Lock()
	if e.closed {
		c.mu.Unlock()
		return streamClosedErr("abort", e.local)
	}
	e.closeLocked()
	if !e.reset && !e.rstReplied {
		e.rstReplied = true
		e.out.dropInflightLocked()
		e.out.sendControlLocked(false, true)
	}
	e.wclosed = true
	e.in.discardLocked(false)
	e.finishLocked()
	c.unlock()
	e.host.unbind(e.bound)
	return nil
}

func (e *Conn) closeLocked() {
	e.closed = true
	e.stopKeepAliveLocked()
	close(e.done)
	wakeOne(e.in.readable)
	wakeOne(e.out.writable)
	e.rdl.stop()
	e.wdl.stop()
}

// resetLocked marks the connection reset at this end and wakes its
// blocked Reads and Writes.
func (e *Conn) resetLocked() {
	if e.reset {
		return
	}
	e.reset = true
	if e.in.eof && !e.wclosed {
		e.ended = endPipe
	}
	e.host.streamResets.Add(1)
	wakeOne(e.in.readable)
	wakeOne(e.out.writable)
}

// replyResetLocked answers data for a closed end with one RST.
func (e *Conn) replyResetLocked() {
	if e.rstReplied || e.reset {
		return
	}
	e.rstReplied = true
	e.out.sendControlLocked(false, true)
}

// resetBoth resets the connection at both ends at once (Faults.ResetAt):
// what is in flight is lost, what has arrived can still be read first.
func (c *conn) resetBoth() {
	c.mu.Lock()
	defer c.unlock()
	if c.finished {
		return
	}
	for _, e := range c.ends {
		if e.closed || e.reset {
			continue
		}
		e.out.dropInflightLocked()
		e.out.link.mu.Lock()
		e.out.link.stats.Resets++
		e.out.link.mu.Unlock()
		if c.tap != nil {
			c.events = append(c.events, StreamEvent{Time: time.Now(), Src: e.local, Dst: e.remote, RST: true})
		}
		e.resetLocked()
	}
}

// kick re-examines both directions after a fault change.
func (c *conn) kick() {
	c.mu.Lock()
	defer c.unlock()
	if c.finished {
		return
	}
	for _, e := range c.ends {
		e.out.healLocked()
		e.keepAliveLocked()
	}
}

// finishLocked retires the connection once both ends are closed: its
// timers stop and the links forget it.
func (e *Conn) finishLocked() {
	c := e.c
	if c.finished || !e.peer.closed {
		return
	}
	c.finished = true
	for _, x := range c.ends {
		x.out.stopLocked()
		x.out.link.detachConn(c)
	}
}
