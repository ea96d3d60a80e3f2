package udp_test

import (
	"context"
	"fmt"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

// countingOS is the OS transport whose datagram sockets count the
// batched reads the socket engine makes: system calls, without strace.
type countingOS struct {
	transport.Transport
	calls, datagrams atomic.Int64
}

func (c *countingOS) BindDatagram(ctx context.Context, local netip.AddrPort, opts transport.BindOptions) (transport.Datagram, error) {
	d, err := c.Transport.BindDatagram(ctx, local, opts)
	if err != nil {
		return nil, err
	}
	return &countingDatagram{Datagram: d, b: d.(transport.DatagramBatcher), c: c}, nil
}

type countingDatagram struct {
	transport.Datagram
	b transport.DatagramBatcher
	c *countingOS
}

func (d *countingDatagram) ReadDatagrams(msgs []transport.DatagramMessage) (int, error) {
	n, err := d.b.ReadDatagrams(msgs)
	if err == nil {
		d.c.calls.Add(1)
		d.c.datagrams.Add(int64(n))
	}
	return n, err
}

func (d *countingDatagram) WriteDatagrams(msgs []transport.DatagramMessage) (int, error) {
	return d.b.WriteDatagrams(msgs)
}

// A busy socket reads many datagrams per system call: while the engine's
// queue is full (SetReadBufferSize(1)) datagrams wait in the system's
// buffer; once there is room the reader takes them in batches (growing
// 1, 2, 4 … 32), in order and with their addressing, and the owner hears
// one ReadyRead for them all (Qt's rule) until it reads.
func TestBatchedReceiveOverOS(t *testing.T) {
	tr := &countingOS{Transport: netsock.New()}
	rx := newSock(t, tr)
	require.NoError(t, rx.Bind(lo, 0, transport.DefaultForPlatform))
	require.NoError(t, rx.SetSocketOption(transport.ReceiveBufferSizeSocketOption, 1<<20))
	require.NoError(t, rx.SetReadBufferSize(1))
	var readyReads atomic.Int64
	_, _ = rx.ReadyRead.Connect(func() { readyReads.Add(1) })

	// 150 datagrams of 512 bytes fit the system's buffer on loopback.
	const count = 150
	tx := bind(t, netsock.New(), netip.AddrPortFrom(lo, 0))
	out := make([]transport.DatagramMessage, count)
	for i := range out {
		out[i].Buf = fmt.Appendf(make([]byte, 0, 512), "%03d", i)[:512]
		out[i].Meta.Dst = netip.AddrPortFrom(lo, uint16(rx.LocalPort()))
	}
	n, err := tx.(transport.DatagramBatcher).WriteDatagrams(out)
	require.NoError(t, err)
	require.Equal(t, count, n)

	waitPending(t, rx) // the first read (or batch) is queued; the reader waits for room
	require.NoError(t, rx.SetReadBufferSize(0))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, rx.WaitUntil(ctx, func() bool { return tr.datagrams.Load() == count }))
	_, _ = rx.ProcessEvents()
	assert.Equal(t, int64(1), readyReads.Load(), "one ReadyRead until a datagram is read")

	for i := range count {
		dg, err := rx.ReceiveDatagram()
		require.NoError(t, err)
		require.Len(t, dg.Data, 512)
		assert.Equal(t, fmt.Sprintf("%03d", i), string(dg.Data[:3]))
		assert.Equal(t, tx.LocalAddrPort().Port(), uint16(dg.SenderPort))
		assert.Equal(t, lo, dg.DestinationAddress)
	}
	assert.False(t, rx.HasPendingDatagrams())
	calls := tr.calls.Load()
	t.Logf("%d datagrams in %d reads", count, calls)
	assert.LessOrEqual(t, calls*5, int64(count), "far fewer system calls than datagrams")
}

// bind opens a raw OS datagram socket closed at the end of the test.
func bind(t *testing.T, tr transport.Transport, local netip.AddrPort) transport.Datagram {
	t.Helper()
	d, err := tr.BindDatagram(context.Background(), local, transport.BindOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// WriteNetworkDatagram with a chosen hop limit and outgoing interface
// works over both transports; the receiver sees the hop limit.
func TestWriteNetworkDatagramHopLimit(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		srv := newSock(t, w.b)
		require.NoError(t, srv.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		c := newSock(t, w.a)
		require.NoError(t, c.Bind(w.aAddr, 0, transport.DefaultForPlatform))
		dg := socket.NewDatagram([]byte("hop"), w.bAddr, srv.LocalPort())
		dg.HopLimit = 7
		dg.InterfaceIndex = outIndex(t, w.a, w.aAddr)
		n, err := c.WriteNetworkDatagram(dg)
		require.NoError(t, err)
		assert.Equal(t, 3, n)
		waitPending(t, srv)
		got, err := srv.ReceiveDatagram()
		require.NoError(t, err)
		assert.Equal(t, "hop", string(got.Data))
		assert.Equal(t, 7, got.HopLimit)

		dg.HopLimit = 300
		_, err = c.WriteNetworkDatagram(dg)
		assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
		assert.Equal(t, transport.UnsupportedSocketOperationError, c.Error())
	})
}

// outIndex returns the index of the interface that holds addr.
func outIndex(t *testing.T, tr transport.Transport, addr netip.Addr) int {
	t.Helper()
	ifs, err := tr.Interfaces()
	require.NoError(t, err)
	for _, ifc := range ifs {
		for _, p := range ifc.Prefixes {
			if p.Addr() == addr {
				return ifc.Index
			}
		}
	}
	t.Fatalf("no interface holds %v", addr)
	return 0
}
