package udp_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/internal/sockettest"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/slotnet/slotnet/udp"
)

type world struct {
	name         string
	a, b         transport.Transport
	aAddr, bAddr netip.Addr
	bName        string
}

var (
	memA = netip.MustParseAddr("10.0.0.1")
	memB = netip.MustParseAddr("10.0.0.2")
	lo   = netip.MustParseAddr("127.0.0.1")
)

func both(t *testing.T, f func(t *testing.T, w world)) {
	t.Run("os", func(t *testing.T) {
		o := netsock.New()
		f(t, world{name: "os", a: o, b: o, aAddr: lo, bAddr: lo, bName: "localhost"})
	})
	t.Run("mem", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			zone := mem.NewZone()
			require.NoError(t, zone.AddA("b.test", memB))
			n := mem.New(mem.WithSeed(1))
			n.SetZone(zone)
			a := n.MustAddHost("a", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(memA, 24)}})
			b := n.MustAddHost("b", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(memB, 24)}})
			f(t, world{name: "mem", a: a, b: b, aAddr: memA, bAddr: memB, bName: "b.test"})
		})
	})
}

func newSock(t *testing.T, tr transport.Transport) *udp.Socket {
	t.Helper()
	s, err := udp.NewSocket(socket.WithTransport(tr))
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	return s
}

// waitPending waits (blocking mode) until s has a datagram pending.
func waitPending(t *testing.T, s *udp.Socket) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, s.WaitUntil(ctx, s.HasPendingDatagrams))
}

// unconnectedServerAndClientTest and the loop payloads, with the values
// Qt 5.15 gives (PyQt5).
func TestUnconnectedServerAndClient(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		tr := sockettest.New(t)
		srv := newSock(t, w.b)
		tr.Watch(t, "server", srv.Engine, func() any { return srv.PendingDatagramSize() })
		assert.False(t, srv.HasPendingDatagrams())
		assert.Equal(t, int64(-1), srv.PendingDatagramSize())
		require.NoError(t, srv.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		assert.Equal(t, socket.BoundState, srv.State())
		assert.True(t, srv.IsValid())
		assert.Equal(t, socket.NotOpen, srv.OpenMode())
		assert.Equal(t, []string{"server.stateChanged BoundState"}, tr.Take())

		// A second bind is refused with Qt's unknown error.
		assert.Error(t, srv.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		assert.Equal(t, []string{"server.errorOccurred UnknownSocketError"}, tr.Take())

		c := newSock(t, w.a)
		tr.Watch(t, "client", c.Engine, func() any { return c.PendingDatagramSize() })
		n, err := c.WriteDatagram([]byte("Almond!"), w.bAddr, srv.LocalPort())
		require.NoError(t, err)
		assert.Equal(t, 7, n)
		assert.Equal(t, socket.BoundState, c.State(), "writing binds")
		assert.Equal(t, []string{"client.stateChanged BoundState", "client.bytesWritten 7"}, tr.Take())

		waitPending(t, srv)
		assert.Equal(t, []string{"server.readyRead 7"}, tr.Take())
		assert.Equal(t, int64(7), srv.PendingDatagramSize())
		dg, err := srv.ReceiveDatagram()
		require.NoError(t, err)
		assert.Equal(t, "Almond!", string(dg.Data))
		assert.Equal(t, w.aAddr, dg.SenderAddress)
		assert.Equal(t, c.LocalPort(), dg.SenderPort, "sender port is the client's local port")
		assert.Equal(t, w.bAddr, dg.DestinationAddress)
		assert.Equal(t, srv.LocalPort(), dg.DestinationPort)
		assert.Equal(t, 64, dg.HopLimit)
	})
}

// Qt's readyRead rule and the loop payloads: one ReadyRead, then another
// only after a read; truncating reads drop the rest.
func TestReadyReadRuleAndPayloads(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		tr := sockettest.New(t)
		srv := newSock(t, w.b)
		require.NoError(t, srv.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		tr.Watch(t, "server", srv.Engine, func() any { return srv.PendingDatagramSize() })
		c := newSock(t, w.a)
		payloads := []string{"A", "AB", "A\x00B", "", strings.Repeat("@", 600)}
		for _, p := range payloads {
			_, err := c.WriteDatagram([]byte(p), w.bAddr, srv.LocalPort())
			require.NoError(t, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, srv.WaitUntil(ctx, func() bool { return srv.HasPendingDatagrams() }))
		// Give the rest time to arrive (virtual under synctest): nothing more
		// is emitted while one is unread.
		time.Sleep(100 * time.Millisecond)
		_, _ = srv.ProcessEvents()
		assert.Equal(t, []string{"server.readyRead 1"}, tr.Take())

		data, from, port, err := srv.ReadDatagram(1)
		require.NoError(t, err)
		assert.Equal(t, "A", string(data))
		assert.Equal(t, w.aAddr, from)
		assert.Equal(t, c.LocalPort(), port)
		for i, want := range payloads[1:] {
			// the next ReadyRead comes with the next pending datagram
			require.NoError(t, srv.WaitUntil(ctx, srv.HasPendingDatagrams))
			_, _ = srv.ProcessEvents()
			assert.Equal(t, []string{fmt.Sprintf("server.readyRead %d", len(want))}, tr.Take(), "after read %d", i)
			assert.Equal(t, int64(len(want)), srv.PendingDatagramSize())
			data, _, _, err := srv.ReadDatagram(1000)
			require.NoError(t, err)
			assert.Equal(t, want, string(data))
		}
		_, _ = srv.ProcessEvents()
		assert.Empty(t, tr.Take())
		assert.Equal(t, int64(-1), srv.PendingDatagramSize())
		assert.False(t, srv.HasPendingDatagrams())

		_, _, _, err = srv.ReadDatagram(10)
		assert.ErrorIs(t, err, transport.TemporaryError)
		assert.Equal(t, "No datagram available for reading", srv.ErrorString())
		assert.Equal(t, []string{"server.errorOccurred TemporaryError"}, tr.Take())
	})
}

func TestWriteDatagramLimits(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		tr := sockettest.New(t)
		srv := newSock(t, w.b)
		require.NoError(t, srv.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		c := newSock(t, w.a)
		require.NoError(t, c.Bind(w.aAddr, 0, transport.DefaultForPlatform))
		tr.Watch(t, "client", c.Engine, func() any { return c.PendingDatagramSize() })
		// Qt's writeDatagram test: i·1024 bytes until the first failure.
		i := 0
		for ; ; i++ {
			n, err := c.WriteDatagram(make([]byte, i*1024), w.bAddr, srv.LocalPort())
			if err != nil {
				assert.ErrorIs(t, err, transport.DatagramTooLargeError)
				break
			}
			assert.Equal(t, i*1024, n)
			assert.Equal(t, []string{fmt.Sprintf("client.bytesWritten %d", i*1024)}, tr.Take())
		}
		if w.name == "os" {
			assert.Equal(t, 64, i, "64 KiB is the first size over the limit")
		} else {
			// The in-memory network does not fragment: the MTU is the limit.
			assert.Equal(t, 2, i)
		}
		assert.Equal(t, []string{"client.errorOccurred DatagramTooLargeError"}, tr.Take())
		assert.Equal(t, "Datagram was too large to send", c.ErrorString())
		// zero-length datagrams are legal
		n, err := c.WriteDatagram(nil, w.bAddr, srv.LocalPort())
		assert.NoError(t, err)
		assert.Equal(t, 0, n)
		assert.Equal(t, []string{"client.bytesWritten 0"}, tr.Take())
		// bad destinations
		_, err = c.WriteDatagram([]byte("x"), w.bAddr, 70000)
		assert.Error(t, err)
		_, err = c.WriteDatagram([]byte("x"), netip.Addr{}, 1)
		assert.Error(t, err)
	})
}

// The virtual connection: Read and Write without addresses.
func TestConnectedMode(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		tr := sockettest.New(t)
		srv := newSock(t, w.b)
		require.NoError(t, srv.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		v := newSock(t, w.a)
		tr.Watch(t, "v", v.Engine, func() any { return v.PendingDatagramSize() })
		require.NoError(t, v.ConnectToAddress(w.bAddr, srv.LocalPort()))
		assert.Equal(t, socket.ConnectedState, v.State())
		assert.Equal(t, socket.ReadWrite|socket.Unbuffered, v.OpenMode())
		assert.Equal(t, []string{
			"v.stateChanged HostLookupState", "v.stateChanged ConnectingState", "v.hostFound",
			"v.stateChanged ConnectedState", "v.connected",
		}, tr.Take())
		n, err := v.Write([]byte("hi"))
		require.NoError(t, err)
		assert.Equal(t, 2, n)
		assert.Equal(t, []string{"v.bytesWritten 2"}, tr.Take())
		waitPending(t, srv)
		data, _, port, err := srv.ReadDatagram(10)
		require.NoError(t, err)
		assert.Equal(t, "hi", string(data))
		_, err = srv.WriteDatagram([]byte("back"), w.aAddr, port)
		require.NoError(t, err)
		waitPending(t, v)
		assert.Equal(t, int64(4), v.BytesAvailable())
		got, err := v.ReadN(100)
		require.NoError(t, err)
		assert.Equal(t, "back", string(got))
		assert.Equal(t, int64(-1), v.PendingDatagramSize())
	})
}

// writeInHostLookupState: no writes before connected.
func TestWriteInHostLookupState(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		h := newSock(t, w.a)
		require.NoError(t, h.ConnectToHost(w.bName, 9))
		assert.Equal(t, socket.HostLookupState, h.State())
		_, err := h.Write([]byte("x"))
		assert.Error(t, err)
		assert.Equal(t, transport.UnknownSocketError, h.Error())
		assert.Equal(t, "Socket is not connected", h.ErrorString())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, h.WaitForConnectedContext(ctx))
		assert.Equal(t, socket.ConnectedState, h.State())
	})
}

func TestCloseBound(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		tr := sockettest.New(t)
		s := newSock(t, w.b)
		require.NoError(t, s.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		tr.Watch(t, "server", s.Engine, func() any { return s.PendingDatagramSize() })
		require.NoError(t, s.Close())
		assert.Equal(t, []string{
			"server.stateChanged ClosingState", "server.stateChanged UnconnectedState",
			"server.readChannelFinished", "server.disconnected",
		}, tr.Take())
		assert.Equal(t, 0, s.LocalPort())
		c := newSock(t, w.a)
		tr.Watch(t, "client", c.Engine, func() any { return c.PendingDatagramSize() })
		_, err := c.WriteDatagram([]byte("x"), w.bAddr, 9)
		require.NoError(t, err)
		tr.Take()
		require.NoError(t, c.Abort())
		assert.Equal(t, []string{"client.stateChanged UnconnectedState", "client.readChannelFinished"}, tr.Take())
	})
}

func TestMulticastNeedsBind(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		s := newSock(t, w.b)
		g := netip.MustParseAddr("239.255.43.21")
		err := s.JoinMulticastGroup(g, "")
		assert.Error(t, err)
		assert.Equal(t, transport.UnknownSocketError, s.Error(), "Qt leaves the error as it was")
		assert.Equal(t, "Unknown error", s.ErrorString())
		require.NoError(t, s.Bind(netip.IPv6Unspecified(), 0, transport.ShareAddress))
		assert.ErrorIs(t, s.JoinMulticastGroup(g, ""), transport.UnsupportedSocketOperationError,
			"an IPv4 group on the dual-stack Any")
		assert.ErrorIs(t, s.JoinMulticastGroup(netip.MustParseAddr("10.1.2.3"), ""), transport.UnsupportedSocketOperationError)
	})
}

// bindMode: a default bind blocks a second bind even with
// ReuseAddressHint; ShareAddress on both allows it (values from PyQt5).
func TestBindMode(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		a := newSock(t, w.b)
		require.NoError(t, a.Bind(w.bAddr, 0, transport.DefaultForPlatform))
		b := newSock(t, w.b)
		err := b.Bind(w.bAddr, a.LocalPort(), transport.DefaultForPlatform)
		assert.ErrorIs(t, err, transport.AddressInUseError)
		assert.Equal(t, "The bound address is already in use", b.ErrorString())
		assert.Equal(t, socket.UnconnectedState, b.State())
		b2 := newSock(t, w.b)
		assert.ErrorIs(t, b2.Bind(w.bAddr, a.LocalPort(), transport.ReuseAddressHint), transport.AddressInUseError)

		c := newSock(t, w.b)
		require.NoError(t, c.Bind(w.bAddr, 0, transport.ShareAddress))
		d := newSock(t, w.b)
		require.NoError(t, d.Bind(w.bAddr, c.LocalPort(), transport.ShareAddress))
		e := newSock(t, w.b)
		require.NoError(t, e.Bind(w.bAddr, 0, transport.DontShareAddress))
		f := newSock(t, w.b)
		assert.ErrorIs(t, f.Bind(w.bAddr, e.LocalPort(), transport.ShareAddress), transport.AddressInUseError)
		g := newSock(t, w.b)
		assert.ErrorIs(t, g.Bind(w.bAddr, c.LocalPort(), transport.DontShareAddress), transport.AddressInUseError)
	})
}
