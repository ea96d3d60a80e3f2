package netsock_test

import (
	"fmt"
	"net"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

func batchMsgs(n, size int) []transport.DatagramMessage {
	msgs := make([]transport.DatagramMessage, n)
	for i := range msgs {
		msgs[i].Buf = make([]byte, size)
	}
	return msgs
}

// One sendmmsg sends a batch; one recvmmsg reads every datagram already
// waiting, each with its own metadata, in order.
func TestOSDatagramBatch(t *testing.T) {
	for _, addr := range []netip.Addr{loop4, loop6} {
		t.Run(addr.String(), func(t *testing.T) {
			tr := newOS(t)
			a, b := bindLoop(t, tr, addr), bindLoop(t, tr, addr)
			wa, ok := a.(transport.DatagramBatcher)
			require.True(t, ok, "the OS datagram socket batches")
			rb := b.(transport.DatagramBatcher)

			const count = 100 // more than netsock.MaxBatch: two system calls
			out := make([]transport.DatagramMessage, count)
			for i := range out {
				out[i].Buf = []byte(fmt.Sprintf("dgram %d", i))
				out[i].Meta.Dst = b.LocalAddrPort()
			}
			n, err := wa.WriteDatagrams(out)
			require.NoError(t, err)
			require.Equal(t, count, n)
			assert.Equal(t, len(out[7].Buf), out[7].N)

			in := batchMsgs(count, 64)
			got, calls := 0, 0
			for got < count {
				n, err := rb.ReadDatagrams(in[got:])
				require.NoError(t, err)
				for _, m := range in[got : got+n] {
					assert.Equal(t, fmt.Sprintf("dgram %d", got), string(m.Buf[:m.N]))
					assert.Equal(t, a.LocalAddrPort(), m.Meta.Src)
					assert.Equal(t, b.LocalAddrPort(), m.Meta.Dst)
					assert.Equal(t, 64, m.Meta.HopLimit)
					got++
				}
				calls++
			}
			assert.LessOrEqual(t, calls, 2*((count+netsock.MaxBatch-1)/netsock.MaxBatch),
				"every datagram was waiting: batches of up to %d", netsock.MaxBatch)
		})
	}
}

// A batch that holds a datagram WriteDatagram refuses sends those before
// it and returns its error; a short buffer truncates as ReadDatagram does.
func TestOSDatagramBatchErrors(t *testing.T) {
	tr := newOS(t)
	a, b := bindLoop(t, tr, loop4), bindLoop(t, tr, loop4)
	wa, rb := a.(transport.DatagramBatcher), b.(transport.DatagramBatcher)
	msgs := []transport.DatagramMessage{
		{Buf: []byte("first"), Meta: transport.DatagramMeta{Dst: b.LocalAddrPort()}},
		{Buf: []byte("port 0"), Meta: transport.DatagramMeta{Dst: netip.AddrPortFrom(loop4, 0)}},
		{Buf: []byte("never"), Meta: transport.DatagramMeta{Dst: b.LocalAddrPort()}},
	}
	n, err := wa.WriteDatagrams(msgs)
	assert.Equal(t, 1, n)
	assert.ErrorIs(t, err, transport.NetworkError)
	n, err = wa.WriteDatagrams([]transport.DatagramMessage{{Buf: make([]byte, 70000), Meta: msgs[0].Meta}})
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, transport.DatagramTooLargeError)
	n, err = wa.WriteDatagrams(nil)
	assert.Equal(t, 0, n)
	assert.NoError(t, err)

	in := batchMsgs(4, 3)
	n, err = rb.ReadDatagrams(in)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	assert.Equal(t, "fir", string(in[0].Buf[:in[0].N]))
	assert.True(t, in[0].Meta.Truncated)
	n, err = rb.ReadDatagrams(nil)
	assert.Equal(t, 0, n)
	assert.NoError(t, err)

	require.NoError(t, b.Close())
	_, err = rb.ReadDatagrams(in)
	assert.ErrorIs(t, err, net.ErrClosed)
}

// A connected socket's batches go to its peer without an address and
// drop other senders' datagrams.
func TestOSDatagramBatchConnected(t *testing.T) {
	tr := newOS(t)
	a, b, other := bindLoop(t, tr, loop4), bindLoop(t, tr, loop4), bindLoop(t, tr, loop4)
	require.NoError(t, b.Connect(a.LocalAddrPort()))
	_, err := other.WriteDatagram([]byte("stranger"), b.LocalAddrPort())
	require.NoError(t, err)
	_, err = a.WriteDatagram([]byte("peer"), b.LocalAddrPort())
	require.NoError(t, err)
	in := batchMsgs(4, 64)
	n, err := b.(transport.DatagramBatcher).ReadDatagrams(in)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	assert.Equal(t, "peer", string(in[0].Buf[:in[0].N]))

	n, err = b.(transport.DatagramBatcher).WriteDatagrams([]transport.DatagramMessage{{Buf: []byte("back")}})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	buf := make([]byte, 16)
	k, meta, err := a.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, "back", string(buf[:k]))
	assert.Equal(t, b.LocalAddrPort(), meta.Src)
}
