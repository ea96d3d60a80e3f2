package mem

import (
	"errors"
	"sync"

	"github.com/slotnet/slotnet/transport"
)

var errNoSuchInterface = errors.New("no such network interface")

// packet is one queued datagram: its payload in a pooled buffer, its
// metadata and what it costs in the receive buffer.
type packet struct {
	buf  *[]byte
	meta transport.DatagramMeta
	cost int
}

// recvQueue is a socket's FIFO of datagrams. Its backing array is reused,
// so a steady flow allocates nothing. The owner's lock guards it.
type recvQueue struct {
	items []packet
	head  int
	bytes int // the sum of the queued packets' costs
}

func (q *recvQueue) len() int { return len(q.items) - q.head }

func (q *recvQueue) push(p packet) {
	if q.head > 0 && len(q.items) == cap(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, p)
	q.bytes += p.cost
}

func (q *recvQueue) pop() (packet, bool) {
	if q.head == len(q.items) {
		return packet{}, false
	}
	p := q.items[q.head]
	q.items[q.head] = packet{}
	q.head++
	q.bytes -= p.cost
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	return p, true
}

// discard drops every queued datagram.
func (q *recvQueue) discard() {
	for {
		p, ok := q.pop()
		if !ok {
			return
		}
		putBuf(p.buf)
	}
}

// bufPool recycles datagram payload buffers.
var bufPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 2048)
	return &b
}}

// getBuf returns a pooled buffer holding a copy of data.
func getBuf(data []byte) *[]byte {
	p := bufPool.Get().(*[]byte)
	if cap(*p) < len(data) {
		*p = make([]byte, 0, len(data))
	}
	*p = append((*p)[:0], data...)
	return p
}

// putBuf returns a buffer to the pool.
func putBuf(p *[]byte) {
	if p != nil {
		bufPool.Put(p)
	}
}
