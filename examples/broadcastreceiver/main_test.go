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
	"github.com/slotnet/slotnet/examples/broadcast"
	"github.com/slotnet/slotnet/transport/mem"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Two receivers on one host (ShareAddress) print the sender's messages.
func TestReceiver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(1))
		sh := n.MustAddHost("s", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		rh := n.MustAddHost("r", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		outs := make([]strings.Builder, 2)
		errs := make(chan error, 2)
		for i := range outs {
			ready := make(chan struct{})
			go func() { errs <- run(&outs[i], 45454, 2, ready, socket.WithTransport(rh)) }()
			<-ready
		}
		l := core.NewLoop()
		require.NoError(t, l.Start())
		defer l.Close()
		require.NoError(t, l.Invoke(func() {
			s, err := broadcast.NewSender(l, 45454, 10*time.Millisecond, socket.WithTransport(sh))
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
			assert.Equal(t, "Received datagram: \"Broadcast message 1\"\nReceived datagram: \"Broadcast message 2\"\n", outs[i].String())
		}
	})
}

func TestReceiverBadPort(t *testing.T) {
	assert.Error(t, run(&strings.Builder{}, 0, 1, nil))
}
