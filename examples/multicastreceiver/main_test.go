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
	"github.com/slotnet/slotnet/examples/multicast"
	"github.com/slotnet/slotnet/transport/mem"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Two receivers on one host (ShareAddress), each a member of the group,
// print the sender's messages; IPv4 and IPv6.
func TestReceiver(t *testing.T) {
	for _, v6 := range []bool{false, true} {
		t.Run(map[bool]string{false: "IPv4", true: "IPv6"}[v6], func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n := mem.New(mem.WithSeed(1))
				a, b, g := "10.0.0.1/24", "10.0.0.2/24", multicast.Group4
				if v6 {
					a, b, g = "fd00::1/64", "fd00::2/64", multicast.Group6
				}
				sh := n.MustAddHost("s", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix(a)}})
				rh := n.MustAddHost("r", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix(b)}})
				outs := make([]strings.Builder, 2)
				errs := make(chan error, 2)
				for i := range outs {
					ready := make(chan struct{})
					c := config{ipv6: v6, port: 45454, iface: "eth0", count: 2}
					go func() { errs <- run(&outs[i], c, ready, socket.WithTransport(rh)) }()
					<-ready
				}
				l := core.NewLoop()
				require.NoError(t, l.Start())
				defer l.Close()
				require.NoError(t, l.Invoke(func() {
					s, err := multicast.NewSender(l, g, 45454, 1, "eth0", 10*time.Millisecond, socket.WithTransport(sh))
					require.NoError(t, err)
					_, _ = s.Sent.Connect(func(n int) {
						if n == 2 {
							s.Close()
						}
					})
					require.NoError(t, s.Start())
				}))
				for range outs {
					require.NoError(t, <-errs)
				}
				for i := range outs {
					assert.Equal(t, "Listening for multicast messages on "+g.String()+" port 45454\nReceived datagram: \"Multicast message 1\"\nReceived datagram: \"Multicast message 2\"\n", outs[i].String())
				}
			})
		})
	}
}

func TestReceiverBadPort(t *testing.T) {
	assert.Error(t, run(&strings.Builder{}, config{port: 0, count: 1}, nil))
}
