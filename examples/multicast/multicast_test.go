package multicast_test

import (
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/multicast"
	"github.com/slotnet/slotnet/transport/mem"
)

// A sender and two members of the group on interface eth0 of one segment:
// each member gets messages 1, 2, 3 in order; a socket on the port that did
// not join gets none.
func TestMulticastOverMem(t *testing.T) {
	for _, tc := range []struct {
		name  string
		group netip.Addr
		addrs []string
	}{
		{"IPv4", multicast.Group4, []string{"10.0.0.1/24", "10.0.0.2/24", "10.0.0.3/24"}},
		{"IPv6", multicast.Group6, []string{"fd00::1/64", "fd00::2/64", "fd00::3/64"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n := mem.New(mem.WithSeed(9))
				var hosts []*mem.Host
				for i, a := range tc.addrs {
					hosts = append(hosts, n.MustAddHost(string(rune('a'+i)), mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix(a)}}))
				}
				l := core.NewLoop()
				require.NoError(t, l.Start())
				defer l.Close()
				got := make([][]string, 2)
				var snd *multicast.Sender
				var rcv []*multicast.Receiver
				var other *multicast.Receiver
				var otherGot []string
				require.NoError(t, l.Invoke(func() {
					for i, h := range hosts[1:] {
						r, err := multicast.NewReceiver(l, tc.group, multicast.Port, "eth0", socket.WithTransport(h))
						require.NoError(t, err)
						_, _ = r.Received.Connect(func(s string) { got[i] = append(got[i], s) })
						rcv = append(rcv, r)
					}
					var err error
					other, err = multicast.NewReceiver(l, tc.group, multicast.Port+1, "eth0", socket.WithTransport(hosts[2]))
					require.NoError(t, err)
					_, _ = other.Received.Connect(func(s string) { otherGot = append(otherGot, s) })
					snd, err = multicast.NewSender(l, tc.group, multicast.Port, multicast.TTL, "eth0", 10*time.Millisecond, socket.WithTransport(hosts[0]))
					require.NoError(t, err)
					_, _ = snd.Sent.Connect(func(n int) {
						if n == 3 {
							snd.Stop()
						}
					})
					require.NoError(t, snd.Start())
				}))
				time.Sleep(time.Second) // virtual time: the sender stops after 3
				synctest.Wait()
				require.NoError(t, l.Invoke(func() {
					snd.Close()
					other.Close()
					for _, r := range rcv {
						r.Close()
					}
				}))
				want := []string{"Multicast message 1", "Multicast message 2", "Multicast message 3"}
				for i := range got {
					assert.Equal(t, want, got[i], "receiver %d", i)
				}
				assert.Empty(t, otherGot, "another port")
			})
		})
	}
}

func TestBadArguments(t *testing.T) {
	l := core.NewLoop()
	require.NoError(t, l.Start())
	defer l.Close()
	require.NoError(t, l.Invoke(func() {
		g := multicast.Group4
		_, err := multicast.NewSender(l, netip.MustParseAddr("10.0.0.1"), 1, 1, "", time.Second)
		assert.ErrorIs(t, err, multicast.ErrBadGroup)
		_, err = multicast.NewSender(l, g, 1, 256, "", time.Second)
		assert.ErrorIs(t, err, multicast.ErrBadTTL)
		_, err = multicast.NewSender(l, g, 1, 1, "", 0)
		assert.ErrorIs(t, err, multicast.ErrBadInterval)
		_, err = multicast.NewReceiver(l, g, 0, "")
		assert.ErrorIs(t, err, multicast.ErrBadPort)
	}))
}
