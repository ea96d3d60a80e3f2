package socket

import (
	"sync"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/transport"
)

// Reader block sizes: a new connection reads into a small block (an idle
// socket holds only that much while its reader waits), doubling whenever a
// read fills the block, up to maxBlock, and back to the small one after a
// read of less than firstBlock (a quiet connection).
const (
	firstBlock = 1 << 10
	maxBlock   = 64 << 10
	minRoom    = 512
)

// link is one connected stream and the goroutines that serve it: a reader
// that fills in, and (while there is something to write) a writer that
// drains out. They hand results to the engine's owner through one
// coalescing notifier; nothing here blocks the owner.
type link struct {
	conn transport.Stream
	note *core.Notifier

	mu   sync.Mutex
	room sync.Cond // the reader waits here while the read buffer is full

	in        chunks // read, not yet handed to the owner
	held      int    // bytes in the owner's read buffer (flow control)
	limit     int    // read buffer size; 0: unbounded
	rerr      error  // the reader's final error (io.EOF: the peer closed)
	block     []byte // the reader's free space
	blockSize int

	out      chunks   // written by the owner, not yet taken by the writer
	inflight int      // taken by the writer, not yet accepted by the transport
	written  int64    // accepted since the owner last looked
	free     [][]byte // written chunks, for write to reuse
	blocks   [][]byte // read blocks the owner has consumed, for the reader
	werr     error    // the writer's error
	writing  bool     // a writer goroutine runs

	closed  bool
	eofSeen bool // owner only: the end of the read channel was handled
	wg      sync.WaitGroup
}

func newLink(conn transport.Stream, limit int) *link {
	l := &link{conn: conn, limit: limit, blockSize: firstBlock}
	l.room.L = &l.mu
	return l
}

// start runs the reader. note must be set.
func (l *link) start() {
	l.wg.Add(1)
	go l.readLoop()
}

func (l *link) readLoop() {
	defer l.wg.Done()
	for {
		l.mu.Lock()
		for !l.closed && l.limit > 0 && l.in.size+l.held >= l.limit {
			l.room.Wait()
		}
		if l.closed {
			l.mu.Unlock()
			return
		}
		buf := l.space()
		l.mu.Unlock()

		n, err := l.conn.Read(buf)

		l.mu.Lock()
		if n > 0 {
			l.in.push(buf[:n:n])
			l.block = l.block[n:]
		}
		switch {
		case n == len(buf) && l.blockSize < maxBlock:
			l.blockSize *= 2 // busy: read more at a time
		case n < firstBlock:
			// A small message: the connection is quiet and the next read
			// may wait a long time, so it waits holding a small block, not
			// the rest of a large one. (A short read of a bulk flow keeps
			// its block: dropping it would allocate one per read.)
			l.block = nil
			l.blockSize = firstBlock
		}
		if err != nil && !l.closed {
			l.rerr = err
		}
		l.mu.Unlock()
		l.note.Notify()
		if err != nil {
			return
		}
	}
}

// space returns where the reader reads next, within the read buffer's
// bound. Called with mu held.
func (l *link) space() []byte {
	if len(l.block) < minRoom {
		if n := len(l.blocks); n > 0 && l.blockSize == maxBlock {
			l.block = l.blocks[n-1]
			l.blocks[n-1] = nil
			l.blocks = l.blocks[:n-1]
		} else {
			l.block = make([]byte, l.blockSize)
		}
	}
	b := l.block
	if l.limit > 0 {
		if room := l.limit - l.in.size - l.held; room < len(b) {
			b = b[:room]
		}
	}
	return b
}

// giveBlock takes back a read block the owner has consumed.
func (l *link) giveBlock(b []byte) {
	l.mu.Lock()
	if len(l.blocks) < 2 && !l.closed {
		l.blocks = append(l.blocks, b[:cap(b)])
	}
	l.mu.Unlock()
}

// setLimit changes the read buffer bound and wakes the reader if it now has
// room.
func (l *link) setLimit(n int) {
	l.mu.Lock()
	l.limit = n
	l.room.Signal()
	more := l.in.size > 0
	l.mu.Unlock()
	if more {
		l.note.Notify()
	}
}

// consumed tells the reader that the owner read n bytes.
func (l *link) consumed(n int) {
	if n <= 0 {
		return
	}
	l.mu.Lock()
	l.held -= n
	if l.held < 0 {
		l.held = 0
	}
	more := l.in.size > 0
	if l.limit > 0 {
		l.room.Signal()
	}
	l.mu.Unlock()
	if more {
		l.note.Notify() // what was kept back now fits
	}
}

// maxFree is how many written chunks the link keeps for reuse.
const maxFree = 4

// write queues b (copied into a chunk the writer has finished with, when
// one fits); the writer starts on the next kick.
func (l *link) write(b []byte) {
	l.mu.Lock()
	l.out.pushCopy(b, l.takeFree)
	l.mu.Unlock()
}

// takeFree returns a written chunk with room for n bytes, emptied, or nil.
// Called with mu held.
func (l *link) takeFree(n int) []byte {
	for i := len(l.free) - 1; i >= 0; i-- {
		if cap(l.free[i]) >= n {
			buf := l.free[i][:0]
			l.free = append(l.free[:i], l.free[i+1:]...)
			return buf
		}
	}
	return nil
}

// kick makes sure a writer runs if there is something to write.
func (l *link) kick() {
	l.mu.Lock()
	l.kickLocked()
	l.mu.Unlock()
}

// moveOut queues the chunks of c (the bytes written before the link
// existed); the writer starts on the next kick.
func (l *link) moveOut(c *chunks) {
	l.mu.Lock()
	l.out.moveFrom(c)
	l.mu.Unlock()
}

func (l *link) kickLocked() {
	if l.writing || l.closed || l.werr != nil || l.out.size == 0 {
		return
	}
	l.writing = true
	l.wg.Add(1)
	go l.writeLoop()
}

func (l *link) writeLoop() {
	defer l.wg.Done()
	var batch [][]byte
	for {
		l.mu.Lock()
		if l.closed || l.werr != nil || l.out.size == 0 {
			l.writing = false
			l.mu.Unlock()
			return
		}
		l.inflight = l.out.size
		batch = l.out.takeList(batch[:0])
		l.mu.Unlock()

		for i, b := range batch {
			n, err := l.conn.Write(b)
			l.mu.Lock()
			l.inflight -= n
			l.written += int64(n)
			if n == len(b) && len(l.free) < maxFree && cap(b) <= maxBlock {
				l.free = append(l.free, b[:0])
			}
			if err != nil && !l.closed {
				l.werr = err
			}
			stop := err != nil || l.closed
			l.mu.Unlock()
			l.note.Notify()
			batch[i] = nil
			if stop {
				l.mu.Lock()
				l.writing = false
				l.inflight = 0
				l.mu.Unlock()
				return
			}
		}
	}
}

// harvest is what the owner collects on a notification.
type harvest struct {
	read    int   // bytes moved into dst
	rerr    error // the reader ended with this (after the data)
	written int64
	werr    error
}

// collect moves what the reader read into dst and takes the writer's
// progress.
func (l *link) collect(dst *chunks) harvest {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := harvest{written: l.written, werr: l.werr}
	l.written = 0
	if l.limit > 0 && l.held+l.in.size > l.limit {
		// A read that was already under way when the bound shrank (or a
		// block larger than the room) brought more than fits: hand over
		// what fits, keep the rest for when the owner has read.
		n := max(l.limit-l.held, 0)
		for n > 0 && len(l.in.list) > 0 {
			ch := l.in.list[0]
			if len(ch) > n {
				dst.push(ch[:n:n])
				l.in.list[0] = ch[n:]
				l.in.size -= n
				h.read += n
				break
			}
			dst.push(ch)
			l.in.list[0] = nil
			l.in.list = l.in.list[1:]
			l.in.size -= len(ch)
			h.read += len(ch)
			n -= len(ch)
		}
		l.held += h.read
	} else {
		h.read = l.in.size
		l.held += l.in.size
		dst.moveFrom(&l.in)
	}
	if l.in.size == 0 {
		h.rerr = l.rerr // the end comes after the last byte
	}
	return h
}

// close stops both goroutines and closes the stream (abort: with a reset),
// then waits for the goroutines to end. Safe to call more than once.
func (l *link) close(abort bool) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	l.room.Broadcast()
	l.mu.Unlock()
	if abort {
		_ = l.conn.Abort()
	} else {
		_ = l.conn.Close()
	}
	l.wg.Wait()
}
