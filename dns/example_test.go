package dns_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/dns"
	"github.com/slotnet/slotnet/transport/mem"
)

// An IP literal answers itself at once, without a query; the empty name
// is HostNotFound, with Qt's text.
func ExampleFromName() {
	h := dns.FromName(" 10.0.0.1 ")
	fmt.Println(h.HostName, h.Addresses, h.Error, h.ErrorString)
	h = dns.FromName("")
	fmt.Printf("%q %v %v %q\n", h.HostName, h.Addresses, h.Error, h.ErrorString)
	// Output:
	// 10.0.0.1 [10.0.0.1] NoError Unknown error
	// "" [] HostNotFound "No host name given"
}

// memHost returns a host on an in-memory network whose zone knows
// www.example.test, and the network.
func memHost() (*mem.Network, *mem.Host) {
	n := mem.New()
	h := n.MustAddHost("a", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	_ = n.Zone().AddA("www.example.test", netip.MustParseAddr("10.0.0.2"))
	_ = n.Zone().AddAAAA("www.example.test", netip.MustParseAddr("fd00::2"))
	_ = n.Zone().AddA("xn--bcher-kva.example.test", netip.MustParseAddr("10.0.0.7")) // bücher: zones hold punycode
	return n, h
}

// LookupHost over an in-memory network's zone: the answer arrives on the
// receiver's loop with the lookup's id, as Qt's QHostInfo::lookupHost.
func ExampleClient_LookupHost() {
	_, host := memHost()
	c, _ := dns.New(dns.WithTransport(host))

	loop := core.NewLoop()
	_ = loop.Start()
	defer loop.Close()
	receiver, _ := core.NewObject(core.WithLoop(loop))

	done := make(chan dns.HostInfo, 1)
	id, err := c.LookupHost("www.example.test", receiver, func(h dns.HostInfo) { done <- h })
	fmt.Println(id, err)
	h := <-done
	fmt.Println(h.LookupID, h.HostName, h.Addresses, h.Error)
	_, err = c.LookupHost("nosuch.example.test", receiver, func(h dns.HostInfo) { done <- h })
	h = <-done
	fmt.Println(h.LookupID, h.HostName, h.Error, h.ErrorString, err)
	// Output:
	// 1 <nil>
	// 1 www.example.test [10.0.0.2 fd00::2] NoError
	// 2 nosuch.example.test HostNotFound Host not found <nil>
}

// ServerResolver speaks DNS to a server over any transport: here the
// in-memory network's DNS server. Unicode and punycode spellings are one
// name, answered from one query and then the cache.
func ExampleServerResolver() {
	n, host := memHost()
	ns := n.MustAddHost("ns", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.53/24")}})
	srv, _ := ns.ServeDNS(netip.MustParseAddrPort("10.0.0.53:53"))
	defer srv.Close()

	c, _ := dns.New(dns.WithResolver(dns.ServerResolver(host, srv.Addr())))
	for _, name := range []string{"bücher.example.test", "xn--bcher-kva.example.test"} {
		h := c.FromNameContext(context.Background(), name)
		fmt.Println(h.HostName, h.Addresses, h.Error)
	}
	fmt.Println("queries:", c.Queries())
	// Output:
	// bücher.example.test [10.0.0.7] NoError
	// xn--bcher-kva.example.test [10.0.0.7] NoError
	// queries: 1
}
