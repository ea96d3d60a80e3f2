package main

import (
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/udptime"
	"github.com/slotnet/slotnet/transport/mem"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Over the in-memory network: the client prints the server's time; with
// no server it gives up after -timeout.
func TestClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(4))
		sh := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		ch := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		l := core.NewLoop()
		require.NoError(t, l.Start())
		defer l.Close()
		s := udptime.NewServer(l, func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }, socket.WithTransport(sh))
		require.NoError(t, l.Invoke(func() { require.NoError(t, s.Start(netip.IPv4Unspecified(), udptime.Port)) }))
		var out strings.Builder
		require.NoError(t, run(&out, "10.0.0.2", udptime.Port, time.Second, socket.WithTransport(ch)))
		assert.Equal(t, "2026-01-02 03:04:05\n", out.String())
		require.NoError(t, l.Invoke(s.Stop))
		assert.ErrorContains(t, run(&out, "10.0.0.2", udptime.Port, time.Second, socket.WithTransport(ch)), "no answer")
	})
}

func TestClientBadFlags(t *testing.T) {
	assert.Error(t, run(&strings.Builder{}, "localhost", 6666, time.Second))
	assert.Error(t, run(&strings.Builder{}, "127.0.0.1", 0, time.Second))
	assert.Error(t, run(&strings.Builder{}, "127.0.0.1", 6666, 0))
}
