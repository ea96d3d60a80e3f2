package mem_test

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// Two hosts exchange a datagram over a link with 20ms of latency and 10%
// loss; the reader sees the sender and the destination.
func ExampleHost_BindDatagram() {
	ctx := context.Background()
	n := mem.New(mem.WithSeed(1))
	a := n.MustAddHost("a", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	b := n.MustAddHost("b", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	n.Link(a, b).SetFaults(mem.Faults{Latency: 20 * time.Millisecond, Loss: 0.1})

	rx, _ := b.BindDatagram(ctx, netip.MustParseAddrPort("0.0.0.0:5000"), transport.BindOptions{})
	defer rx.Close()
	tx, _ := a.BindDatagram(ctx, netip.MustParseAddrPort("0.0.0.0:4000"), transport.BindOptions{})
	defer tx.Close()

	tx.WriteDatagram([]byte("hello"), netip.MustParseAddrPort("10.0.0.2:5000"))
	buf := make([]byte, 3)
	k, meta, _ := rx.ReadDatagram(buf) // waits out the latency
	fmt.Printf("%q from %s to %s, truncated: %v\n", buf[:k], meta.Src, meta.Dst, meta.Truncated)
	// Output:
	// "hel" from 10.0.0.1:4000 to 10.0.0.2:5000, truncated: true
}

// Every member of a multicast group on the LAN gets its own copy.
func ExampleDatagramSocket_JoinGroup() {
	ctx := context.Background()
	n := mem.New()
	var hosts []*mem.Host
	for i := 1; i <= 3; i++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), 24)
		hosts = append(hosts, n.MustAddHost(fmt.Sprint("h", i), mem.IfaceConfig{Prefixes: []netip.Prefix{p}}))
	}
	group := netip.MustParseAddr("239.1.2.3")
	var members []transport.Datagram
	for _, h := range hosts[1:] {
		d, _ := h.BindDatagram(ctx, netip.MustParseAddrPort("0.0.0.0:7000"), transport.BindOptions{})
		defer d.Close()
		d.JoinGroup(group, "")
		members = append(members, d)
	}
	tx, _ := hosts[0].BindDatagram(ctx, netip.AddrPort{}, transport.BindOptions{})
	defer tx.Close()
	tx.WriteDatagram([]byte("to the group"), netip.AddrPortFrom(group, 7000))
	for _, m := range members {
		buf := make([]byte, 64)
		k, meta, _ := m.ReadDatagram(buf)
		fmt.Printf("%s: %q (TTL %d)\n", m.LocalAddrPort(), buf[:k], meta.HopLimit)
	}
	// Output:
	// 0.0.0.0:7000: "to the group" (TTL 1)
	// 0.0.0.0:7000: "to the group" (TTL 1)
}

// A zone answers every host's lookups, with CNAMEs, failures and latency.
func ExampleZone() {
	ctx := context.Background()
	n := mem.New()
	h := n.MustAddHost("client")
	z := n.Zone()
	z.AddA("www.example.test", netip.MustParseAddr("192.0.2.10"))
	z.AddAAAA("www.example.test", netip.MustParseAddr("2001:db8::10"))
	z.AddCNAME("example.test", "www.example.test")
	z.SetFailure("broken.example.test", mem.ServFail)

	addrs, _ := h.LookupHost(ctx, "example.test")
	fmt.Println(addrs)
	names, _ := h.LookupAddr(ctx, netip.MustParseAddr("192.0.2.10"))
	fmt.Println(names)
	_, err := h.LookupHost(ctx, "nosuch.example.test")
	fmt.Println(transport.CodeOf(err))
	_, err = h.LookupHost(ctx, "broken.example.test")
	fmt.Println(err)
	// Output:
	// [192.0.2.10 2001:db8::10]
	// [www.example.test]
	// HostNotFoundError
	// lookup broken.example.test: lookup broken.example.test on mem: server misbehaving (HostNotFoundError)
}
