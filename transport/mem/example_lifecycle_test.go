package mem_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// The line protocol, with a client that forgets to close its connection:
// closing the network names it, and the line that dialed it. In a test,
// memtest.New(t) does the same at cleanup and fails the test.
func ExampleNetwork_Close() {
	ctx := context.Background()
	n := mem.New(mem.WithCreationSites(true))
	client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	server := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})

	ln, _ := server.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.ListenOptions{})
	done := make(chan struct{})
	go func() { // the server answers one line upper-cased and closes
		defer close(done)
		s, _ := ln.AcceptStream(ctx)
		line, _ := bufio.NewReader(s).ReadString('\n')
		io.WriteString(s, strings.ToUpper(line))
		s.Close()
	}()

	c, _ := client.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.DialOptions{})
	io.WriteString(c, "hello\n")
	answer, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Print(answer)
	<-done
	ln.Close()
	// c.Close() forgotten

	err := n.Close()
	var leaks *mem.LeakError
	if errors.As(err, &leaks) {
		for _, l := range leaks.Leaks {
			fmt.Println(l)
		}
	}
	_, err = client.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.DialOptions{})
	fmt.Println(err)
	// Output:
	// HELLO
	// conn 10.0.0.1:32768->10.0.0.2:7 on host client (dialed) still open, created at example_lifecycle_test.go:35
	// dial 10.0.0.2:7: mem: the network is closed (OperationError)
}
