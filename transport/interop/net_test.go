package interop_test

import (
	"net/netip"

	"github.com/slotnet/slotnet/transport/mem"
)

// Every example runs over two hosts of an in-memory network: a client on
// 10.0.0.1 and a server on 10.0.0.2.
var (
	clientAddr = netip.MustParseAddr("10.0.0.1")
	serverAddr = netip.MustParseAddr("10.0.0.2")
)

// twoHosts builds the network, with "server.test" in its zone.
func twoHosts() (n *mem.Network, client, server *mem.Host) {
	n = mem.New(mem.WithSeed(1))
	client = n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(clientAddr, 24)}})
	server = n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(serverAddr, 24)}})
	if err := n.Zone().AddA("server.test", serverAddr); err != nil {
		panic(err)
	}
	return n, client, server
}
