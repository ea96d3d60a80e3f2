package transporttest_test

import (
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/transporttest"
)

var (
	memClientAddr = netip.MustParseAddr("10.0.0.1")
	memServerAddr = netip.MustParseAddr("10.0.0.2")
)

// memSystem builds a network of two hosts on 10.0.0.0/24 with a zone that
// names them.
func memSystem(t testing.TB) *transporttest.System {
	zone := mem.NewZone()
	for name, addr := range map[string]netip.Addr{"client.test": memClientAddr, "server.test": memServerAddr} {
		if err := zone.AddA(name, addr); err != nil {
			t.Fatal(err)
		}
	}
	n := mem.New(mem.WithSeed(1))
	n.SetZone(zone)
	client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(memClientAddr, 24)}})
	server := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(memServerAddr, 24)}})
	return &transporttest.System{
		Client: client, Server: server,
		ClientAddr: memClientAddr, ServerAddr: memServerAddr,
		Broadcast: &transporttest.Broadcast{
			Addr: netip.MustParseAddr("10.0.0.255"),
			Bind: netip.IPv4Unspecified(),
		},
		Multicast: &transporttest.Multicast{
			Group:     netip.MustParseAddr("239.255.77.1"),
			Interface: "eth0",
			Bind:      netip.IPv4Unspecified(),
		},
		Resolver: &transporttest.Resolver{
			Names:   map[string][]netip.Addr{"server.test": {memServerAddr}, "client.test": {memClientAddr}},
			Missing: "nowhere.test",
			Reverse: map[netip.Addr]string{memServerAddr: "server.test"},
		},
	}
}

// memEnv is the in-memory network, each check in its own synctest bubble
// with its own network.
func memEnv() transporttest.Env {
	return transporttest.Env{
		Name:    "mem",
		Bubble:  synctest.Test,
		Backlog: true,
		Setup:   memSystem,
	}
}

func TestMem(t *testing.T) {
	transporttest.TestAll(t, memEnv())
}

// impaired is a link that delays, throttles and cuts streams into random
// short segments, but loses, duplicates and reorders nothing (jitter would
// reorder datagrams, which the datagram checks do not allow): every check
// of the suite must still pass over it.
var impaired = mem.Faults{
	Latency:   2 * time.Millisecond,
	Bandwidth: 20 << 20,
	Segment:   mem.Segmentation{Mode: mem.SegmentRandom, Size: 700, ShortReads: true},
}

// TestMemImpaired runs the suite over impaired links both ways.
func TestMemImpaired(t *testing.T) {
	env := memEnv()
	env.Name = "mem-impaired"
	env.Skip = map[string]string{"Conn": "nettest runs outside the bubble, in real time: over a 2ms link its PingPong alone takes 2s; TestMem runs it on a perfect link"}
	env.Setup = func(t testing.TB) *transporttest.System {
		sys := memSystem(t)
		client, server := sys.Client.(*mem.Host), sys.Server.(*mem.Host)
		n := client.Network()
		n.Link(client, server).SetFaults(impaired)
		n.Link(server, client).SetFaults(impaired)
		return sys
	}
	transporttest.TestAll(t, env)
}

// TestMemIPv6 runs the suite on two hosts that have only IPv6 addresses.
func TestMemIPv6(t *testing.T) {
	a, b := netip.MustParseAddr("fd00::1"), netip.MustParseAddr("fd00::2")
	transporttest.TestAll(t, transporttest.Env{
		Name:    "mem-ipv6",
		Bubble:  synctest.Test,
		Backlog: true,
		Skip:    map[string]string{"Conn": "TestMem runs nettest on IPv4"},
		Setup: func(testing.TB) *transporttest.System {
			n := mem.New(mem.WithSeed(2))
			client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(a, 64)}})
			server := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(b, 64)}})
			return &transporttest.System{
				Client: client, Server: server,
				ClientAddr: a, ServerAddr: b,
				NotLocal: netip.MustParseAddr("2001:db8::1"),
				Multicast: &transporttest.Multicast{
					Group:     netip.MustParseAddr("ff15::77"),
					Interface: "eth0",
					Bind:      netip.IPv6Unspecified(),
				},
			}
		},
	})
}
