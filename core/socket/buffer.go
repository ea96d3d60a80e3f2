package socket

import "bytes"

// chunks is a byte queue made of slices, so that data handed over by the
// reader goroutine joins the read buffer without a copy. It is used by one
// goroutine at a time (the engine's owner, or under the link's mutex).
type chunks struct {
	list [][]byte
	size int
	// recycle, if set, takes back each whole 64 KiB read block that discard
	// consumed entirely (a chunk of len == cap == maxBlock can only be a
	// whole block: blocks are never larger).
	recycle func([]byte)
}

func (c *chunks) len() int { return c.size }

// push appends b (which the queue now owns).
func (c *chunks) push(b []byte) {
	if len(b) == 0 {
		return
	}
	c.list = append(c.list, b)
	c.size += len(b)
}

// pushCopy appends a copy of b. Small writes coalesce into the last chunk
// when it has room; otherwise the copy goes into reuse(len(b)) if that
// gives a buffer (empty, with enough capacity), else a new one.
func (c *chunks) pushCopy(b []byte, reuse func(n int) []byte) {
	if len(b) == 0 {
		return
	}
	if n := len(c.list); n > 0 {
		last := c.list[n-1]
		if cap(last)-len(last) >= len(b) && cap(last) <= maxBlock {
			c.list[n-1] = append(last, b...)
			c.size += len(b)
			return
		}
	}
	var buf []byte
	if reuse != nil {
		buf = reuse(len(b))
	}
	if buf == nil {
		buf = make([]byte, 0, max(len(b), minRoom))
	}
	c.push(append(buf, b...))
}

// prepend puts b back at the front (UngetChar).
func (c *chunks) prepend(b []byte) {
	c.list = append([][]byte{b}, c.list...)
	c.size += len(b)
}

// moveFrom appends every chunk of o and empties o.
func (c *chunks) moveFrom(o *chunks) {
	c.list = append(c.list, o.list...)
	c.size += o.size
	clear(o.list)
	o.list = o.list[:0]
	o.size = 0
}

// peek copies up to len(b) bytes from the front without consuming them.
func (c *chunks) peek(b []byte) int { return c.peekAt(0, b) }

// peekAt copies up to len(b) bytes starting off bytes from the front,
// without consuming them (a read transaction's reads).
func (c *chunks) peekAt(off int, b []byte) int {
	n := 0
	for _, ch := range c.list {
		if n == len(b) {
			break
		}
		if off >= len(ch) {
			off -= len(ch)
			continue
		}
		n += copy(b[n:], ch[off:])
		off = 0
	}
	return n
}

// read moves up to len(b) bytes from the front into b.
func (c *chunks) read(b []byte) int {
	n := c.peek(b)
	c.discard(n)
	return n
}

// discard drops n bytes from the front.
func (c *chunks) discard(n int) {
	c.size -= n
	i := 0
	for n > 0 && i < len(c.list) {
		if l := len(c.list[i]); l <= n {
			n -= l
			if c.recycle != nil && l == maxBlock && cap(c.list[i]) == maxBlock {
				c.recycle(c.list[i])
			}
			c.list[i] = nil
			i++
			continue
		}
		c.list[i] = c.list[i][n:]
		n = 0
	}
	if i > 0 {
		c.list = append(c.list[:0], c.list[i:]...)
	}
}

// indexByte returns the offset of the first b at or after offset from and
// before offset limit (both from the front), or -1.
func (c *chunks) indexByte(b byte, from, limit int) int {
	off := 0
	for _, ch := range c.list {
		if off >= limit {
			break
		}
		start := off
		if len(ch) > limit-off {
			ch = ch[:limit-off]
		}
		off += len(ch)
		if from >= off {
			continue
		}
		if from > start {
			ch = ch[from-start:]
			start = from
		}
		if i := bytes.IndexByte(ch, b); i >= 0 {
			return start + i
		}
	}
	return -1
}

// take removes and returns everything as one slice (no copy when it is one
// chunk already).
func (c *chunks) take() []byte {
	switch len(c.list) {
	case 0:
		return nil
	case 1:
		b := c.list[0]
		c.reset()
		return b
	}
	b := make([]byte, c.size)
	c.read(b)
	return b
}

// takeList removes and returns the chunks as they are (the writer's batch).
func (c *chunks) takeList(dst [][]byte) [][]byte {
	dst = append(dst, c.list...)
	clear(c.list)
	c.list = c.list[:0]
	c.size = 0
	return dst
}

func (c *chunks) reset() {
	clear(c.list)
	c.list = c.list[:0]
	c.size = 0
}
