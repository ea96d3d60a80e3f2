package udptime_test

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/udptime"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

var fixed = time.Date(2026, 12, 3, 8, 30, 0, 0, time.UTC)

// The server answers each client with its time; stopped, it answers
// nothing; started again, it answers again.
func run(t *testing.T, srvT, cliT transport.Transport, srvAddr netip.Addr, port int) {
	l := core.NewLoop()
	require.NoError(t, l.Start())
	defer l.Close()
	s := udptime.NewServer(l, func() time.Time { return fixed }, socket.WithTransport(srvT))
	var served []netip.AddrPort
	_, _ = s.Served.Connect(func(a netip.AddrPort) { served = append(served, a) })
	require.NoError(t, l.Invoke(func() { require.NoError(t, s.Start(srvAddr, port)) }))
	require.NoError(t, l.Invoke(func() {
		assert.ErrorIs(t, s.Start(srvAddr, port), udptime.ErrRunning)
		port = s.Port()
	}))
	ask := func(d time.Duration) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		return udptime.Query(ctx, srvAddr, port, socket.WithTransport(cliT))
	}
	for range 2 {
		a, err := ask(5 * time.Second)
		require.NoError(t, err)
		assert.Equal(t, "2026-12-03 08:30:00", a)
	}
	require.NoError(t, l.Invoke(func() {
		assert.Len(t, served, 2)
		s.Stop()
		assert.False(t, s.Running())
	}))
	_, err := ask(100 * time.Millisecond)
	assert.ErrorContains(t, err, "no answer")
	require.NoError(t, l.Invoke(func() { require.NoError(t, s.Start(srvAddr, port)) }))
	a, err := ask(5 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, "2026-12-03 08:30:00", a)
	require.NoError(t, l.Invoke(s.Stop))
}

func TestOverMem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(2))
		s := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		c := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		run(t, s, c, netip.MustParseAddr("10.0.0.2"), udptime.Port)
	})
}

func TestOverLoopback(t *testing.T) {
	o := netsock.New()
	run(t, o, o, netip.MustParseAddr("127.0.0.1"), 0)
}
