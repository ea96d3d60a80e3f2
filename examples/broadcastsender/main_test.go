package main

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/udp"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The sender prints each message it broadcasts and a socket elsewhere on
// the segment receives them.
func TestSender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(1))
		sh := n.MustAddHost("s", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		rh := n.MustAddHost("r", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		r, err := udp.NewSocket(socket.WithTransport(rh))
		require.NoError(t, err)
		defer r.Destroy()
		require.NoError(t, r.Bind(netip.IPv4Unspecified(), 45454, transport.ShareAddress))

		var out strings.Builder
		require.NoError(t, run(&out, config{port: 45454, interval: 10 * time.Millisecond, count: 3}, socket.WithTransport(sh)))
		assert.Equal(t, "Now broadcasting datagram 1\nNow broadcasting datagram 2\nNow broadcasting datagram 3\n", out.String())
		var got []string
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = r.WaitUntil(ctx, func() bool {
			for r.HasPendingDatagrams() {
				dg, err := r.ReceiveDatagram()
				require.NoError(t, err)
				got = append(got, string(dg.Data))
			}
			return len(got) >= 3
		})
		assert.Equal(t, []string{"Broadcast message 1", "Broadcast message 2", "Broadcast message 3"}, got)
	})
}

func TestSenderBadFlags(t *testing.T) {
	for _, c := range []config{
		{port: 45454, count: 1},
		{port: 0, interval: time.Second, count: 1},
		{port: 45454, interval: time.Second, count: -1},
		{port: 45454, interval: time.Second, address: "127.0.0.256"},
		{port: 45454, interval: time.Second, address: "::1"},
		{port: 45454, interval: time.Second, bind: "nowhere"},
	} {
		assert.Error(t, run(&strings.Builder{}, c), "%+v", c)
	}
}
