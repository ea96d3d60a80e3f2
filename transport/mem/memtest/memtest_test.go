package memtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/internal/faketb"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// where the test creates what it expects to see named.
func nextLine() string {
	_, file, line, _ := runtime.Caller(1)
	return fmt.Sprintf("%s:%d", filepath.Base(file), line+1)
}

var (
	ctx   = context.Background()
	addrA = netip.MustParsePrefix("10.0.0.1/24")
	addrB = netip.MustParsePrefix("10.0.0.2/24")
	port  = netip.MustParseAddrPort("10.0.0.2:80")
)

func hosts(n *mem.Network) (a, b *mem.Host) {
	return n.MustAddHost("a", mem.IfaceConfig{Prefixes: []netip.Prefix{addrA}}),
		n.MustAddHost("b", mem.IfaceConfig{Prefixes: []netip.Prefix{addrB}})
}

func TestCleanTestPasses(t *testing.T) {
	f := faketb.New(t)
	n := New(f)
	a, b := hosts(n)
	ln, err := b.Listen(ctx, port, transport.ListenOptions{})
	require.NoError(t, err)
	c, err := a.Dial(ctx, port, transport.DialOptions{})
	require.NoError(t, err)
	s, err := ln.AcceptStream(ctx)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, s.Close())
	require.NoError(t, ln.Close())
	f.End()
	assert.Empty(t, f.Messages())
	assert.Empty(t, f.Logs())
	assert.True(t, n.Closed())
}

func TestLeakedListenerNamedWithItsLine(t *testing.T) {
	f := faketb.New(t)
	n := New(f)
	_, b := hosts(n)
	at := nextLine()
	ln, err := b.Listen(ctx, port, transport.ListenOptions{})
	require.NoError(t, err)
	f.End()
	require.Len(t, f.Messages(), 1)
	assert.True(t, strings.HasPrefix(f.Messages()[0],
		"memtest: listener 10.0.0.2:80 on host b (tcp port 80) still open, created at "+at+"\n"), f.Messages()[0])
	assert.Contains(t, f.Messages()[0], "memtest.TestLeakedListenerNamedWithItsLine\n\t")
	assert.Contains(t, f.Logs()[0], "memtest: network seed")
	_, err = ln.AcceptStream(ctx)
	assert.ErrorIs(t, err, net.ErrClosed, "Close closed it")
}

func TestLeakedConnsNamedWhereDialedAndAccepted(t *testing.T) {
	f := faketb.New(t)
	n := New(f)
	a, b := hosts(n)
	ln, err := b.Listen(ctx, port, transport.ListenOptions{})
	require.NoError(t, err)
	dialed := nextLine()
	c, err := a.Dial(ctx, port, transport.DialOptions{})
	require.NoError(t, err)
	accepted := nextLine()
	s, err := ln.AcceptStream(ctx)
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	f.End()
	require.Len(t, f.Messages(), 2, f.Messages())
	assert.Contains(t, f.Messages()[0], "memtest: conn 10.0.0.1:32768->10.0.0.2:80 on host a (dialed) still open, created at "+dialed+"\n")
	assert.Contains(t, f.Messages()[1], "memtest: conn 10.0.0.2:80->10.0.0.1:32768 on host b (accepted) still open, created at "+accepted+"\n")
	_, err = c.Write([]byte("x"))
	assert.ErrorIs(t, err, net.ErrClosed)
	_, err = s.Read(make([]byte, 1))
	assert.ErrorIs(t, err, net.ErrClosed)
}

func TestHalfClosedConnNamesOnlyTheOpenEnd(t *testing.T) {
	f := faketb.New(t)
	n := New(f)
	a, b := hosts(n)
	ln, err := b.Listen(ctx, port, transport.ListenOptions{})
	require.NoError(t, err)
	c, err := a.Dial(ctx, port, transport.DialOptions{})
	require.NoError(t, err)
	accepted := nextLine()
	_, err = ln.AcceptStream(ctx)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, ln.Close())
	f.End()
	require.Len(t, f.Messages(), 1, f.Messages())
	assert.Contains(t, f.Messages()[0], "(accepted) still open, created at "+accepted)
}

func TestLeakedDatagramSocketAndDNSServer(t *testing.T) {
	f := faketb.New(t)
	n := New(f)
	a, b := hosts(n)
	bound := nextLine()
	_, err := a.BindDatagram(ctx, netip.MustParseAddrPort("10.0.0.1:5000"), transport.BindOptions{})
	require.NoError(t, err)
	served := nextLine()
	_, err = b.ServeDNS(netip.MustParseAddrPort("10.0.0.2:53"))
	require.NoError(t, err)
	f.End()
	require.Len(t, f.Messages(), 2, f.Messages())
	assert.Contains(t, f.Messages()[0], "memtest: DNS server 10.0.0.2:53 on host b still open, created at "+served+"\n")
	assert.Contains(t, f.Messages()[1], "memtest: datagram socket 10.0.0.1:5000 on host a (udp port 5000) still open, created at "+bound+"\n")
}

// A datagram still in flight when the test ends is a pending delivery
// timer: the test stopped before the network was quiet.
func TestPendingDeliveryTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := faketb.New(t)
		n := New(f)
		a, b := hosts(n)
		n.Link(a, b).SetFaults(mem.Faults{Latency: 10 * time.Millisecond})
		rx, err := b.BindDatagram(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.BindOptions{})
		require.NoError(t, err)
		tx, err := a.BindDatagram(ctx, netip.AddrPort{}, transport.BindOptions{})
		require.NoError(t, err)
		sent := nextLine()
		_, err = tx.WriteDatagram([]byte("hello\n"), rx.LocalAddrPort())
		require.NoError(t, err)
		require.NoError(t, tx.Close())
		require.NoError(t, rx.Close())
		f.End()
		require.Len(t, f.Messages(), 1, f.Messages())
		assert.Contains(t, f.Messages()[0], "memtest: timer delivering 1 datagrams on link a->b (next due in 10ms) still pending, created at "+sent+"\n")
	})
}

// The cleanup runs inside the bubble before it waits for its goroutines:
// a server goroutine blocked in Accept is released by it, and the
// listener is still reported.
func TestCleanupReleasesBlockedGoroutines(t *testing.T) {
	var f *faketb.TB
	synctest.Test(t, func(t *testing.T) {
		f = faketb.New(t)
		t.Cleanup(f.End)
		n := New(f)
		_, b := hosts(n)
		ln, err := b.Listen(ctx, port, transport.ListenOptions{})
		require.NoError(t, err)
		go func() {
			_, err := ln.AcceptStream(context.Background())
			assert.ErrorIs(t, err, net.ErrClosed)
		}()
		synctest.Wait()
	})
	require.Len(t, f.Messages(), 1)
	assert.Contains(t, f.Messages()[0], "listener 10.0.0.2:80")
}

func TestClosedNetworkRefuses(t *testing.T) {
	f := faketb.New(t)
	n := New(f)
	a, _ := hosts(n)
	f.End()
	require.Empty(t, f.Messages())
	for name, err := range map[string]error{
		"dial":   second(a.Dial(ctx, port, transport.DialOptions{})),
		"listen": second(a.Listen(ctx, netip.MustParseAddrPort("10.0.0.1:80"), transport.ListenOptions{})),
		"bind":   second(a.BindDatagram(ctx, netip.AddrPort{}, transport.BindOptions{})),
		"dns":    second(a.ServeDNS(netip.MustParseAddrPort("10.0.0.1:53"))),
		"lookup": second(a.LookupHost(ctx, "b")),
		"host":   second(n.AddHost("c")),
	} {
		assert.ErrorIs(t, err, mem.ErrNetworkClosed, name)
		assert.ErrorIs(t, err, net.ErrClosed, name)
		assert.Contains(t, err.Error(), "mem: the network is closed", name)
	}
	assert.NoError(t, n.Close(), "a second Close does nothing")
}

func second[T any](_ T, err error) error { return err }

// Without creation sites (a network made with mem.New), Close still names
// what was left open and says how to learn where it was created.
func TestCloseWithoutSites(t *testing.T) {
	n := mem.New()
	_, b := hosts(n)
	_, err := b.Listen(ctx, port, transport.ListenOptions{})
	require.NoError(t, err)
	err = n.Close()
	var leaks *mem.LeakError
	require.True(t, errors.As(err, &leaks))
	require.Len(t, leaks.Leaks, 1)
	assert.Equal(t, "mem: network closed with 1 left open:\n\tlistener 10.0.0.2:80 on host b (tcp port 80) still open"+
		" (creation site not recorded: mem.WithCreationSites or memtest.New records it)", err.Error())
	assert.Empty(t, leaks.Leaks[0].Site)
}

// Close reports leaks with t.Errorf on a network the test made itself.
func TestCloseReportsOnAnyNetwork(t *testing.T) {
	f := faketb.New(t)
	n := mem.New(mem.WithCreationSites(true))
	a, _ := hosts(n)
	at := nextLine()
	_, err := a.BindDatagram(ctx, netip.MustParseAddrPort("10.0.0.1:9"), transport.BindOptions{})
	require.NoError(t, err)
	Close(f, n)
	require.Len(t, f.Messages(), 1)
	assert.Contains(t, f.Messages()[0], "created at "+at)
	Close(f, n)
	assert.Len(t, f.Messages(), 1, "a closed network reports nothing more")
}
