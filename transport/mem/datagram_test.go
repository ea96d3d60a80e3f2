package mem

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

func TestDatagramBoundaries(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "10.0.0.2:5000", transport.BindOptions{})
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	for _, p := range []string{"a", "bb", "ccc"} {
		dgSend(t, tx, p, "10.0.0.2:5000")
	}
	assert.Equal(t, []string{"a", "bb", "ccc"}, dgDrain(t, rx))
	assert.Equal(t, uint64(3), w.a.Counters().DatagramsSent)
	assert.Equal(t, uint64(3), w.b.Counters().DatagramsReceived)
}

func TestDatagramTruncation(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, tx, "0123456789", "10.0.0.2:5000")
	dgSend(t, tx, "next", "10.0.0.2:5000")
	buf := make([]byte, 4)
	n, meta, err := rx.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, "0123", string(buf[:n]))
	assert.True(t, meta.Truncated)
	p, meta := dgRecv(t, rx)
	assert.Equal(t, "next", p, "the rest of a truncated datagram is discarded")
	assert.False(t, meta.Truncated)
}

func TestDatagramZeroLength(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, tx, "", "10.0.0.2:5000")
	n, meta, err := rx.ReadDatagram(nil)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.False(t, meta.Truncated)
	assert.Equal(t, dgAP("10.0.0.2:5000"), meta.Dst)
}

func TestDatagramMeta(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "[::]:5000", transport.BindOptions{})
	tx := bindDG(t, w.a, "0.0.0.0:4000", transport.BindOptions{})
	dgSend(t, tx, "x", "10.0.0.2:5000")
	_, meta := dgRecv(t, rx)
	assert.Equal(t, transport.DatagramMeta{
		Src: dgAP("10.0.0.1:4000"), Dst: dgAP("10.0.0.2:5000"), HopLimit: DefaultTTL, IfIndex: 2,
	}, meta)

	lo := bindDG(t, w.a, "127.0.0.1:5000", transport.BindOptions{})
	dgSend(t, tx, "y", "127.0.0.1:5000")
	_, meta = dgRecv(t, lo)
	assert.Equal(t, dgAP("127.0.0.1:4000"), meta.Src)
	assert.Equal(t, 1, meta.IfIndex, "loopback is interface 1")
}

func TestDatagramTooLarge(t *testing.T) {
	w := newDGWorld(t)
	big := w.n.MustAddHost("big", IfaceConfig{Prefixes: dgPrefixes("10.0.0.9/24"), MTU: 9000})
	tx := bindDG(t, w.a, "[::]:0", transport.BindOptions{})
	jumbo := bindDG(t, big, "[::]:0", transport.BindOptions{})
	cases := []struct {
		name string
		s    *DatagramSocket
		dst  string
		max  int
	}{
		{"ethernet IPv4", tx, "10.0.0.2:9", 1500 - 28},
		{"ethernet IPv6", tx, "[fd00::2]:9", 1500 - 48},
		{"loopback", tx, "127.0.0.1:9", MaxDatagram},
		{"own address is loopback", tx, "10.0.0.1:9", MaxDatagram},
		{"path MTU is the smaller end", jumbo, "10.0.0.1:9", 1500 - 28},
		{"to nobody: the sender's MTU", jumbo, "10.0.0.77:9", 9000 - 28},
		{"multicast: the interface's MTU", tx, "239.1.1.1:9", 1500 - 28},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.s.WriteDatagram(make([]byte, c.max), dgAP(c.dst))
			require.NoError(t, err)
			_, err = c.s.WriteDatagram(make([]byte, c.max+1), dgAP(c.dst))
			require.ErrorIs(t, err, transport.DatagramTooLargeError)
		})
	}
	_, err := tx.WriteDatagram(make([]byte, MaxDatagram+1), dgAP("10.0.0.2:9"))
	require.ErrorIs(t, err, transport.DatagramTooLargeError)
	assert.Contains(t, err.Error(), "65507")
}

func TestDatagramQueueOverflow(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{RecvBuf: 3 * (100 + DatagramOverhead)})
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	payload := strings.Repeat("x", 100)
	for range 5 {
		dgSend(t, tx, payload, "10.0.0.2:5000")
	}
	n, bytes := rx.Pending()
	assert.Equal(t, 3, n)
	assert.Equal(t, 300, bytes)
	assert.Equal(t, uint64(2), rx.Dropped())
	assert.Equal(t, uint64(2), w.b.Counters().DatagramsDropped)
	assert.Equal(t, uint64(3), w.b.Counters().DatagramsReceived)

	// Room again after a read; the option changes the limit.
	dgRecv(t, rx)
	dgSend(t, tx, payload, "10.0.0.2:5000")
	assert.Equal(t, 3, dgPending(rx))
	require.NoError(t, rx.SetOption(transport.ReceiveBufferSizeSocketOption, 1))
	v, err := rx.Option(transport.ReceiveBufferSizeSocketOption)
	require.NoError(t, err)
	assert.Equal(t, 1, v)
	dgDrain(t, rx)
	dgSend(t, tx, payload, "10.0.0.2:5000")
	dgSend(t, tx, payload, "10.0.0.2:5000")
	assert.Equal(t, 1, dgPending(rx), "an empty queue always takes one datagram")
	assert.Equal(t, uint64(3), rx.Dropped())
}

func TestDatagramDefaultReceiveBuffer(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	v, err := rx.Option(transport.ReceiveBufferSizeSocketOption)
	require.NoError(t, err)
	assert.Equal(t, DefaultReceiveBuffer, v)
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	payload := make([]byte, 1000)
	for range 300 {
		_, err := tx.WriteDatagram(payload, dgAP("10.0.0.2:5000"))
		require.NoError(t, err)
	}
	want := DefaultReceiveBuffer / (1000 + DatagramOverhead)
	assert.Equal(t, want, dgPending(rx))
	assert.Equal(t, uint64(300-want), rx.Dropped())
}

func TestDatagramConnect(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	peer := bindDG(t, w.a, "0.0.0.0:4000", transport.BindOptions{})
	other := bindDG(t, w.a, "0.0.0.0:4001", transport.BindOptions{})

	_, err := rx.Write([]byte("x"))
	require.ErrorIs(t, err, transport.OperationError, "Write needs a peer")

	require.NoError(t, rx.Connect(dgAP("10.0.0.1:4000")))
	assert.Equal(t, dgAP("10.0.0.1:4000"), rx.RemoteAddrPort())
	assert.Equal(t, dgAP("10.0.0.2:5000"), rx.LocalAddrPort(), "connect picks the source address")
	dgSend(t, other, "filtered", "10.0.0.2:5000")
	dgSend(t, peer, "kept", "10.0.0.2:5000")
	assert.Equal(t, []string{"kept"}, dgDrain(t, rx))

	n, err := rx.Write([]byte("reply"))
	require.NoError(t, err)
	assert.Equal(t, 5, n)
	p, meta := dgRecv(t, peer)
	assert.Equal(t, "reply", p)
	assert.Equal(t, dgAP("10.0.0.2:5000"), meta.Src)

	mtu, err := rx.Option(transport.PathMtuSocketOption)
	require.NoError(t, err)
	assert.Equal(t, DefaultMTU, mtu)

	require.NoError(t, rx.Connect(dgNoPeer()))
	dgSend(t, other, "open again", "10.0.0.2:5000")
	assert.Equal(t, []string{"open again"}, dgDrain(t, rx))
}

func TestDatagramConnectedRefused(t *testing.T) {
	w := newDGWorld(t)
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	require.NoError(t, tx.Connect(dgAP("10.0.0.2:5999")))
	_, err := tx.Write([]byte("anyone?"))
	require.NoError(t, err, "the dgSend itself succeeds")
	_, _, err = tx.ReadDatagram(make([]byte, 10))
	require.ErrorIs(t, err, transport.ConnectionRefusedError)

	// An unconnected socket hears nothing back.
	un := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, un, "anyone?", "10.0.0.2:5999")
	require.NoError(t, un.SetReadDeadline(time.Now()))
	_, _, err = un.ReadDatagram(make([]byte, 10))
	require.ErrorIs(t, err, transport.SocketTimeoutError)
}

func TestDatagramPastDeadlineBeatsQueuedData(t *testing.T) {
	w := newDGWorld(t)
	rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, tx, "queued", "10.0.0.2:5000")
	require.NoError(t, rx.SetReadDeadline(time.Now().Add(-time.Second)))
	_, _, err := rx.ReadDatagram(make([]byte, 10))
	require.ErrorIs(t, err, os.ErrDeadlineExceeded, "as package net: the deadline is checked first")
	require.NoError(t, rx.SetReadDeadline(time.Time{}))
	p, _ := dgRecv(t, rx)
	assert.Equal(t, "queued", p)
}

func TestDatagramDeadlines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newDGWorld(t)
		rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
		start := time.Now()
		require.NoError(t, rx.SetReadDeadline(start.Add(3*time.Second)))
		_, _, err := rx.ReadDatagram(make([]byte, 10))
		require.ErrorIs(t, err, os.ErrDeadlineExceeded)
		var ne net.Error
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout())
		assert.Equal(t, 3*time.Second, time.Since(start))

		// Moving the deadline wakes a blocked read.
		require.NoError(t, rx.SetReadDeadline(time.Time{}))
		done := make(chan error)
		go func() {
			_, _, err := rx.ReadDatagram(make([]byte, 10))
			done <- err
		}()
		synctest.Wait()
		require.NoError(t, rx.SetReadDeadline(time.Now().Add(time.Second)))
		require.ErrorIs(t, <-done, os.ErrDeadlineExceeded)
		assert.Equal(t, 4*time.Second, time.Since(start))

		require.NoError(t, rx.SetWriteDeadline(time.Now()))
		_, err = rx.WriteDatagram([]byte("x"), dgAP("10.0.0.1:1"))
		require.ErrorIs(t, err, transport.SocketTimeoutError)
	})
}

func TestDatagramCloseUnblocksRead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newDGWorld(t)
		rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
		done := make(chan error)
		go func() {
			_, _, err := rx.ReadDatagram(make([]byte, 10))
			done <- err
		}()
		synctest.Wait()
		require.NoError(t, rx.Close())
		require.ErrorIs(t, <-done, net.ErrClosed)
		require.ErrorIs(t, rx.Close(), net.ErrClosed, "a second Close reports it, as a *net.UDPConn does")
		_, err := rx.WriteDatagram([]byte("x"), dgAP("10.0.0.1:1"))
		require.ErrorIs(t, err, net.ErrClosed)

		// The port is free again.
		bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	})
}

func TestDatagramBlockingReadGetsLaterDatagram(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newDGWorld(t)
		rx := bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
		tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
		got := make(chan string)
		go func() {
			p, _ := dgRecv(t, rx)
			got <- p
		}()
		synctest.Wait()
		dgSend(t, tx, "late", "10.0.0.2:5000")
		assert.Equal(t, "late", <-got)
	})
}

func TestDatagramBindErrors(t *testing.T) {
	w := newDGWorld(t)
	bindDG(t, w.b, "0.0.0.0:5000", transport.BindOptions{})
	_, err := w.b.BindDatagram(context.Background(), dgAP("0.0.0.0:5000"), transport.BindOptions{})
	require.ErrorIs(t, err, transport.AddressInUseError)
	_, err = w.b.BindDatagram(context.Background(), dgAP("10.0.0.1:5000"), transport.BindOptions{})
	require.ErrorIs(t, err, transport.SocketAddressNotAvailableError, "not b's address")
	_, err = w.b.BindDatagram(context.Background(), dgAP("0.0.0.0:0"), transport.BindOptions{Interface: "eth7"})
	require.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = w.b.BindDatagram(ctx, dgAP("0.0.0.0:0"), transport.BindOptions{})
	require.ErrorIs(t, err, context.Canceled)

	s := bindDG(t, w.b, "0.0.0.0:0", transport.BindOptions{})
	assert.GreaterOrEqual(t, int(s.LocalAddrPort().Port()), EphemeralFirst)
}

func TestDatagramSendErrors(t *testing.T) {
	w := newDGWorld(t)
	v4 := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	cases := map[string]struct {
		s    *DatagramSocket
		dst  string
		code transport.SocketError
	}{
		"port 0":           {v4, "10.0.0.2:0", transport.NetworkError}, // Qt 5: sendto EINVAL
		"unspecified":      {v4, "0.0.0.0:9", transport.SocketAddressNotAvailableError},
		"IPv6 on IPv4":     {v4, "[fd00::2]:9", transport.NetworkError},
		"broadcast no opt": {v4, "255.255.255.255:9", transport.SocketAccessError},
		"directed no opt":  {v4, "10.0.0.255:9", transport.SocketAccessError},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.s.WriteDatagram([]byte("x"), dgAP(c.dst))
			require.Error(t, err)
			assert.Equal(t, c.code, transport.CodeOf(err), err.Error())
		})
	}
	lo := bindDG(t, w.a, "127.0.0.1:0", transport.BindOptions{})
	_, err := lo.WriteDatagram([]byte("x"), dgAP("10.0.0.2:9"))
	require.ErrorIs(t, err, transport.NetworkError, "a loopback source cannot leave the host")
}

func TestDatagramOptions(t *testing.T) {
	w := newDGWorld(t)
	s := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	defaults := map[transport.SocketOption]int{
		transport.MulticastTtlOption:            1,
		transport.MulticastLoopbackOption:       1,
		transport.TypeOfServiceOption:           0,
		transport.ReceiveBufferSizeSocketOption: DefaultReceiveBuffer,
		transport.SendBufferSizeSocketOption:    DefaultSendBuffer,
	}
	for opt, want := range defaults {
		got, err := s.Option(opt)
		require.NoError(t, err)
		assert.Equal(t, want, got, optionName(opt))
		require.NoError(t, s.SetOption(opt, 1))
		got, err = s.Option(opt)
		require.NoError(t, err)
		assert.Equal(t, 1, got)
	}
	for _, bad := range []struct {
		opt transport.SocketOption
		v   int
	}{{transport.MulticastTtlOption, 256}, {transport.MulticastLoopbackOption, 2}, {transport.ReceiveBufferSizeSocketOption, 0}, {transport.LowDelayOption, 1}} {
		require.ErrorIs(t, s.SetOption(bad.opt, bad.v), transport.UnsupportedSocketOperationError)
	}
	_, err := s.Option(transport.PathMtuSocketOption)
	require.ErrorIs(t, err, transport.OperationError, "IP_MTU needs a connected socket")
	_, err = s.Option(transport.KeepAliveOption)
	require.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
	require.NoError(t, s.Close())
	require.ErrorIs(t, s.SetOption(transport.MulticastTtlOption, 1), net.ErrClosed)
}

func TestDatagramToNobodyVanishes(t *testing.T) {
	w := newDGWorld(t)
	tx := bindDG(t, w.a, "0.0.0.0:0", transport.BindOptions{})
	dgSend(t, tx, "void", "10.9.9.9:9")
	require.NoError(t, tx.SetReadDeadline(time.Now()))
	assert.Equal(t, uint64(1), w.a.Counters().DatagramsSent)
	for _, h := range []*Host{w.a, w.b, w.c} {
		assert.Zero(t, h.Counters().DatagramsReceived)
	}
	_, _, err := tx.ReadDatagram(nil)
	require.ErrorIs(t, err, transport.SocketTimeoutError, "no refusal for an unconnected socket")
}
