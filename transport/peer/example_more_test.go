package peer_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/peer"
)

// A scripted UDP server for the uppercase protocol: it expects one
// datagram from the client's address and replies to it.
func Example_datagram() {
	t := &testing.T{} // in a test: the test's t
	synctest.Test(t, func(t *testing.T) {
		n := mem.New()
		client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		server := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		ctx := context.Background()
		cliAddr := netip.MustParseAddrPort("10.0.0.1:5000")
		srvAddr := netip.MustParseAddrPort("10.0.0.2:7")

		srvSock, _ := server.BindDatagram(ctx, srvAddr, transport.BindOptions{})
		srv := peer.NewDatagram(t).
			ExpectFrom(cliAddr, []byte("hello\n")).
			ReplyString("HELLO\n")
		srv.PlaySocket(srvSock) // closed by the script when it ends

		c, _ := client.BindDatagram(ctx, cliAddr, transport.BindOptions{})
		defer c.Close()
		_, _ = c.WriteDatagram([]byte("hello\n"), srvAddr)
		b := make([]byte, 100)
		k, meta, _ := c.ReadDatagram(b)
		<-srv.Done()
		fmt.Printf("%q from %v, script: %v\n", b[:k], meta.Src, srv.Err())
	})
	// Output: "HELLO\n" from 10.0.0.2:7, script: <nil>
}

// A scripted name server: the client's lookup of the line server's name
// is answered after 50 ms (of virtual time) with a CNAME and an address,
// and the script checks that this was the one name asked.
func Example_dns() {
	t := &testing.T{}      // in a test: the test's t
	peer.PrepareResolver() // in a test: from TestMain
	synctest.Test(t, func(t *testing.T) {
		n := mem.New()
		client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		server := n.MustAddHost("ns", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.53/24")}})

		ns := peer.NewDNS(t).
			CNAME("upper.example.test", "host7.example.test").
			A("host7.example.test", "10.0.0.2").
			Delay("upper.example.test", 50*time.Millisecond).
			ExpectQuery("upper.example.test")
		addr := ns.ServeOn(server, netip.MustParseAddrPort("10.0.0.53:53"))

		start := time.Now()
		r := transport.NewResolver(client, addr)
		ips, err := r.LookupNetIP(context.Background(), "ip4", "upper.example.test.")
		<-ns.Done()
		fmt.Println(ips, err, time.Since(start), ns.Err())
	})
	// Output: [10.0.0.2] <nil> 50ms <nil>
}
