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

// The sender prints each message and a member of the group receives them
// with the TTL as hop limit.
func TestSender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(1))
		sh := n.MustAddHost("s", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		rh := n.MustAddHost("r", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		r, err := udp.NewSocket(socket.WithTransport(rh))
		require.NoError(t, err)
		defer r.Destroy()
		require.NoError(t, r.Bind(netip.IPv4Unspecified(), 45454, transport.ShareAddress))
		require.NoError(t, r.JoinMulticastGroup(netip.MustParseAddr("239.255.43.21"), "eth0"))

		var out strings.Builder
		c := config{port: 45454, ttl: 1, iface: "eth0", interval: 10 * time.Millisecond, count: 2}
		require.NoError(t, run(&out, c, socket.WithTransport(sh)))
		assert.Equal(t, "Now sending datagram 1 to 239.255.43.21\nNow sending datagram 2 to 239.255.43.21\n", out.String())
		var got []string
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = r.WaitUntil(ctx, func() bool {
			for r.HasPendingDatagrams() {
				dg, err := r.ReceiveDatagram()
				require.NoError(t, err)
				assert.Equal(t, 1, dg.HopLimit)
				got = append(got, string(dg.Data))
			}
			return len(got) >= 2
		})
		assert.Equal(t, []string{"Multicast message 1", "Multicast message 2"}, got)
	})
}

func TestSenderBadFlags(t *testing.T) {
	for _, c := range []config{
		{port: 45454, ttl: 1, interval: 0, count: 1},
		{port: 0, ttl: 1, interval: time.Second, count: 1},
		{port: 45454, ttl: 300, interval: time.Second, count: 1},
		{port: 45454, ttl: 1, interval: time.Second, count: -1},
	} {
		assert.Error(t, run(&strings.Builder{}, c), "%+v", c)
	}
}
