package remote_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

func memHost(n *mem.Network, name, addr string) *mem.Host {
	return n.MustAddHost(name, mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix(addr + "/24")}})
}

// TestPartitionOnMemNetwork runs the replica's NATS client over the
// in-memory network: a partition between it and the server makes it
// Suspect (its pings go unanswered), and after the heal it reconnects,
// takes a snapshot and counts what it missed.
func TestPartitionOnMemNetwork(t *testing.T) {
	srv := startServer(t)
	n := mem.New(mem.WithSeed(1))
	server, client := memHost(n, "server", "10.0.0.1"), memHost(n, "client", "10.0.0.2")
	ln, err := server.Listen(context.Background(), netip.MustParseAddrPort("10.0.0.1:4222"), transport.ListenOptions{})
	require.NoError(t, err)
	bridge := srv.Serve(ln)
	defer func() { require.NoError(t, bridge.Close()) }()

	var s sensor
	exposeSensor(t, connect(t, srv, "source"), "sensor", &s)
	nc, err := nats.Connect("nats://10.0.0.1:4222",
		nats.SetCustomDialer(remote.Dialer(client, time.Second)),
		nats.PingInterval(20*time.Millisecond), nats.MaxPingsOutstanding(2),
		nats.MaxReconnects(-1), nats.ReconnectWait(10*time.Millisecond), nats.NoCallbacksAfterClientClose())
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	rep := replicate(t, nc, startLoop(t), "sensor")
	rep.w.until(t, "Valid", valid)

	for i := 1; i <= 10; i++ {
		s.Reading.Emit(Reading{N: i})
	}
	rep.w.until(t, "10 readings", func(w *watcher) bool { return len(w.readings) == 10 })
	n.Partition(client, server)
	rep.w.until(t, "Suspect", func(w *watcher) bool { return w.states[len(w.states)-1] == remote.Suspect })
	for i := 11; i <= 20; i++ {
		s.Reading.Emit(Reading{N: i})
	}
	s.UnitChanged.Emit("K")
	n.Heal(client, server)
	rep.w.until(t, "Valid again, all accounted for", func(w *watcher) bool {
		return valid(w) && len(w.readings)+w.missed == 20 && rep.Unit.Value() == "K"
	})
	checkExact(t, rep.w, 20)
}
