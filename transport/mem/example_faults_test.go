package mem_test

import (
	"bufio"
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// The upper-case line protocol of docs/testing.md over a link with 20 ms of
// latency each way that cuts every write into single bytes and hands the
// reader one byte per Read: the server must reassemble the line before it
// answers, and the round trip costs the latency, as on a real network.
func Example_upperLineFaults() {
	ctx := context.Background()
	n := mem.New(mem.WithSeed(7))
	a := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	b := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	bytewise := mem.Faults{
		Latency: 20 * time.Millisecond,
		Segment: mem.Segmentation{Mode: mem.SegmentByte, ShortReads: true},
	}
	n.Link(a, b).SetFaults(bytewise)
	n.Link(b, a).SetFaults(bytewise)

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

	start := time.Now()
	c, _ := a.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.DialOptions{})
	defer c.Close()
	c.Write([]byte("hello\n"))
	reply, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Printf("%q\n", reply)
	// A round trip for the handshake, one for the line: at least 80 ms.
	fmt.Println("took at least 80ms:", time.Since(start) >= 80*time.Millisecond)
	// The SYN, then "hello\n" one byte per segment.
	fmt.Println("segments client→server:", n.Link(a, b).Counters().Segments)
	// Output:
	// "HELLO\n"
	// took at least 80ms: true
	// segments client→server: 7
}
