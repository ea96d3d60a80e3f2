package mem

import "time"

// byteRing is a byte ring addressed by absolute stream offsets: the byte at
// offset o lives at buf[o%len(buf)]. The caller keeps the live range
// [lo, hi) no longer than len(buf).
type byteRing struct{ buf []byte }

// put copies p to offsets [off, off+len(p)).
func (r *byteRing) put(off uint64, p []byte) {
	for len(p) > 0 {
		i := int(off % uint64(len(r.buf)))
		n := copy(r.buf[i:], p)
		p = p[n:]
		off += uint64(n)
	}
}

// get copies offsets [off, off+len(p)) into p.
func (r *byteRing) get(off uint64, p []byte) {
	for len(p) > 0 {
		i := int(off % uint64(len(r.buf)))
		n := copy(p, r.buf[i:])
		p = p[n:]
		off += uint64(n)
	}
}

// grow makes room for at least need bytes of live range [lo, hi), doubling
// up to limit so that small streams stay small. It never shrinks.
func (r *byteRing) grow(lo, hi uint64, need, limit int) {
	if need <= len(r.buf) {
		return
	}
	size := max(len(r.buf)*2, minRing)
	for size < need {
		size *= 2
	}
	size = max(min(size, limit), need)
	old := *r
	r.buf = make([]byte, size)
	for off := lo; off < hi; {
		i := int(off % uint64(len(old.buf)))
		n := min(len(old.buf)-i, int(hi-off))
		r.put(off, old.buf[i:i+n])
		off += uint64(n)
	}
}

// minRing is the first allocation of a stream direction's ring.
const minRing = 4 << 10

// streamSeg is one stream segment in flight: the bytes up to end (an absolute
// offset), due at the receiver at time at, possibly carrying FIN or RST.
type streamSeg struct {
	end   uint64
	at    time.Time
	fin   bool
	rst   bool
	short bool // a Read stops at end (Segmentation.ShortReads)
}

// fifo is a queue that reuses its backing array once drained, so a stream
// in steady state allocates nothing.
type fifo[T any] struct {
	s    []T
	head int
}

func (q *fifo[T]) push(v T)    { q.s = append(q.s, v) }
func (q *fifo[T]) len() int    { return len(q.s) - q.head }
func (q *fifo[T]) peek() *T    { return &q.s[q.head] }
func (q *fifo[T]) at(i int) *T { return &q.s[q.head+i] }
func (q *fifo[T]) clear()      { q.s, q.head = q.s[:0], 0 }
func (q *fifo[T]) pop() (v T) {
	v = q.s[q.head]
	q.head++
	if q.head == len(q.s) {
		q.clear()
	}
	return v
}
