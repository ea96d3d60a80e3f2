package pcapng_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/pcapng"
)

// The upper-case line protocol of docs/testing.md, captured: the client
// sends "hello\n", the server answers "HELLO\n", and the capture holds the
// handshake (SYN, SYN-ACK, ACK), the two data segments and the two FINs,
// ready for `wireshark upper.pcapng` or `tshark -r upper.pcapng`.
func Example() {
	ctx := context.Background()
	capture := pcapng.New()
	n := mem.New(mem.WithSeed(1), mem.WithTap(capture))
	defer n.Close()
	a := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	b := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})

	ln, _ := b.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.ListenOptions{})
	defer ln.Close()
	go func() { // the server: one line in, the same line upper-cased out
		s, err := ln.AcceptStream(ctx)
		if err != nil {
			return
		}
		defer s.Close()
		line, _ := bufio.NewReader(s).ReadString('\n')
		s.Write([]byte(strings.ToUpper(line)))
	}()

	c, err := a.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.DialOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c.Write([]byte("hello\n"))
	answer, _ := io.ReadAll(c) // the server's line, then its FIN
	c.Close()

	dir, _ := os.MkdirTemp("", "pcapng")
	defer os.RemoveAll(dir)
	if err := capture.WriteFile(filepath.Join(dir, "upper.pcapng")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("answer %q, %d packets\n", answer, capture.Len())
	// Output:
	// answer "HELLO\n", 7 packets
}
