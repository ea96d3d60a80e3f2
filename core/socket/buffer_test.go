package socket

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// chunks against a plain byte slice, under random operations.
func TestChunksModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var c chunks
	var model []byte
	for i := 0; i < 20000; i++ {
		switch r.IntN(7) {
		case 0, 1:
			b := make([]byte, r.IntN(700))
			for j := range b {
				b[j] = byte(r.IntN(4)) + '\n' - 1
			}
			if r.IntN(2) == 0 {
				c.push(b)
			} else {
				c.pushCopy(b, nil)
			}
			model = append(model, b...)
		case 2:
			b := make([]byte, r.IntN(900))
			n := c.read(b)
			assert.Equal(t, min(len(b), len(model)), n)
			assert.Equal(t, string(model[:n]), string(b[:n]))
			model = model[n:]
		case 3:
			b := make([]byte, r.IntN(900))
			off := r.IntN(len(model) + 1)
			n := c.peekAt(off, b)
			assert.Equal(t, min(len(b), len(model)-off), n)
			assert.Equal(t, string(model[off:off+n]), string(b[:n]))
		case 4:
			limit := r.IntN(len(model) + 1)
			from := r.IntN(limit + 1)
			want := bytes.IndexByte(model[from:limit], '\n')
			if want >= 0 {
				want += from
			}
			assert.Equal(t, want, c.indexByte('\n', from, limit), "from %d limit %d", from, limit)
		case 5:
			ch := byte(r.IntN(256))
			c.prepend([]byte{ch})
			model = append([]byte{ch}, model...)
		case 6:
			if r.IntN(10) == 0 {
				got := c.take()
				assert.Equal(t, string(model), string(got))
				model = nil
			}
		}
		assert.Equal(t, len(model), c.len())
	}
	var o chunks
	o.pushCopy([]byte("tail"), nil)
	c.moveFrom(&o)
	model = append(model, "tail"...)
	assert.Equal(t, 0, o.len())
	assert.Equal(t, string(model), string(c.take()))
}

func TestEnumNames(t *testing.T) {
	assert.Equal(t, "ClosingState", ClosingState.String())
	assert.Equal(t, "State(9)", State(9).String())
	assert.Equal(t, "TcpSocket", TcpSocket.String())
	assert.Equal(t, "UnknownSocketType", UnknownSocketType.String())
	assert.Equal(t, "ReadWrite", ReadWrite.String())
	assert.Equal(t, "ReadOnly|Unbuffered", (ReadOnly | Unbuffered).String())
	assert.Equal(t, "NotOpen", NotOpen.String())
	assert.Equal(t, "WriteOnly|0x40", (WriteOnly | 0x40).String())
}
