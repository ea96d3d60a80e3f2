package netsock_test

import (
	"context"
	"fmt"
	"io"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

// Listen, dial and echo over the host's loopback interface.
func ExampleNew() {
	ctx := context.Background()
	tr := netsock.New()
	l, err := tr.Listen(ctx, netip.MustParseAddrPort("127.0.0.1:0"), transport.ListenOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()

	done := make(chan struct{})
	go func() {
		defer close(done)
		s, err := l.AcceptStream(ctx)
		if err != nil {
			return
		}
		defer s.Close()
		io.Copy(s, s) // echo until the client half-closes
	}()

	c, err := tr.Dial(ctx, l.AddrPort(), transport.DialOptions{NoDelay: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	c.Write([]byte("hello"))
	c.CloseWrite()
	reply, _ := io.ReadAll(c)
	<-done
	fmt.Printf("%s\n", reply)
	// Output: hello
}
