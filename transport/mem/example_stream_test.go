package mem_test

import (
	"context"
	"fmt"
	"io"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// Two hosts, a listener and a stream: the client sends a request and
// half-closes, the server answers and closes.
func ExampleHost_Dial() {
	ctx := context.Background()
	n := mem.New(mem.WithSeed(1))
	a := n.MustAddHost("a", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	b := n.MustAddHost("b", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})

	ln, _ := b.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:80"), transport.ListenOptions{})
	defer ln.Close()
	c, _ := a.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:80"), transport.DialOptions{})
	s, _ := ln.AcceptStream(ctx)
	fmt.Println(c.LocalAddrPort(), "->", s.LocalAddrPort())

	c.Write([]byte("ping"))
	c.CloseWrite()
	req, _ := io.ReadAll(s)
	s.Write(append(req, " pong"...))
	s.Close()
	resp, _ := io.ReadAll(c)
	fmt.Println(string(resp))
	c.Close()

	_, err := a.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:81"), transport.DialOptions{})
	fmt.Println(transport.CodeOf(err))
	// Output:
	// 10.0.0.1:32768 -> 10.0.0.2:80
	// ping pong
	// ConnectionRefusedError
}
