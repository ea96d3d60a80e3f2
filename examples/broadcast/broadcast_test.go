package broadcast_test

import (
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/broadcast"
	"github.com/slotnet/slotnet/transport/mem"
)

// A sender and three receivers (two sharing one host) on one segment: every
// receiver gets messages 1, 2, 3 in order; a host on another segment gets
// none.
func TestBroadcastOverMem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(5))
		host := func(name, a string) *mem.Host {
			return n.MustAddHost(name, mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix(a + "/24")}})
		}
		sh := host("sender", "10.0.0.1")
		rh := []*mem.Host{host("r1", "10.0.0.2"), host("r2", "10.0.0.3")}
		rh = append(rh, rh[1])
		far := host("far", "10.0.1.1")

		l := core.NewLoop()
		require.NoError(t, l.Start())
		defer l.Close()
		got := make([][]string, len(rh)+1)
		var snd *broadcast.Sender
		var rcv []*broadcast.Receiver
		require.NoError(t, l.Invoke(func() {
			for i, h := range append(rh, far) {
				r, err := broadcast.NewReceiver(l, broadcast.Port, socket.WithTransport(h))
				require.NoError(t, err)
				_, _ = r.Received.Connect(func(s string) { got[i] = append(got[i], s) })
				rcv = append(rcv, r)
			}
			var err error
			snd, err = broadcast.NewSender(l, broadcast.Port, 10*time.Millisecond, socket.WithTransport(sh))
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
			for _, r := range rcv {
				r.Close()
			}
		}))
		want := []string{"Broadcast message 1", "Broadcast message 2", "Broadcast message 3"}
		for i := range rh {
			assert.Equal(t, want, got[i], "receiver %d", i)
		}
		assert.Empty(t, got[len(rh)], "another segment")
	})
}

func TestBadArguments(t *testing.T) {
	l := core.NewLoop()
	require.NoError(t, l.Start())
	defer l.Close()
	require.NoError(t, l.Invoke(func() {
		_, err := broadcast.NewSender(l, broadcast.Port, 0)
		assert.ErrorIs(t, err, broadcast.ErrBadInterval)
		_, err = broadcast.NewSender(l, 0, time.Second)
		assert.ErrorIs(t, err, broadcast.ErrBadPort)
		_, err = broadcast.NewReceiver(l, 70000)
		assert.ErrorIs(t, err, broadcast.ErrBadPort)
	}))
}
