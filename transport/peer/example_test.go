package peer_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/peer"
)

// hello is the client under test: it sends "hello\n" and returns the
// server's one-line answer.
func hello(ctx context.Context, tr transport.Transport, addr netip.AddrPort) (string, error) {
	c, err := tr.Dial(ctx, addr, transport.DialOptions{})
	if err != nil {
		return "", err
	}
	defer c.Close()
	if _, err := c.Write([]byte("hello\n")); err != nil {
		return "", err
	}
	return bufio.NewReader(c).ReadString('\n')
}

// A scripted server for the uppercase line protocol: it expects the client's
// line, answers it upper-cased and expects the client to close. The test
// runs in a synctest bubble over the in-memory network, so the script's
// deadlines are virtual time.
func Example_scriptedServer() {
	t := &testing.T{} // in a test: the test's t
	synctest.Test(t, func(t *testing.T) {
		n := mem.New()
		client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		server := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		addr := netip.MustParseAddrPort("10.0.0.2:7")
		ln, _ := server.Listen(context.Background(), addr, transport.ListenOptions{})
		defer ln.Close()

		srv := peer.NewStream(t).
			ExpectLine("hello").
			SendString("HELLO\n").
			ExpectShutdown()
		srv.Accept(ln)

		answer, err := hello(context.Background(), client, addr)
		<-srv.Done()
		fmt.Printf("%q %v %v\n", answer, err, srv.Err())
	})
	// Output: "HELLO\n" <nil> <nil>
}

// upper is the server under test: it answers each line upper-cased until
// the client half-closes, then closes.
func upper(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if _, err := c.Write([]byte(strings.ToUpper(line))); err != nil {
			return
		}
	}
}

// A scripted client for the uppercase line protocol's server: two lines,
// the second written in two pieces a virtual second apart, then a
// half-close, and the server's own close.
func Example_scriptedClient() {
	t := &testing.T{} // in a test: the test's t
	synctest.Test(t, func(t *testing.T) {
		n := mem.New()
		client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		server := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		addr := netip.MustParseAddrPort("10.0.0.2:7")
		ln, _ := server.Listen(context.Background(), addr, transport.ListenOptions{})
		defer ln.Close()
		go func() {
			if c, err := ln.Accept(); err == nil {
				upper(c)
			}
		}()

		c, _ := client.Dial(context.Background(), addr, transport.DialOptions{})
		cli := peer.NewStream(t).
			SendString("hello\n").
			ExpectLine("HELLO").
			SendString("wor").Wait(time.Second).SendString("ld\n").
			ExpectString("WORLD\n").
			CloseWrite().
			ExpectEOF()
		start := time.Now()
		cli.Play(c)
		<-cli.Done()
		fmt.Println(cli.Err(), time.Since(start))
	})
	// Output: <nil> 1s
}
