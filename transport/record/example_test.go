package record_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/slotnet/slotnet/transport/record"
)

// hello is the client under test: it sends "hello\n" and returns the
// server's one-line answer.
func hello(ctx context.Context, tr transport.Transport, addr netip.AddrPort) (string, error) {
	c, err := tr.Dial(ctx, addr, transport.DialOptions{})
	if err != nil {
		return "", err
	}
	defer c.Close()
	if _, err := io.WriteString(c, "hello\n"); err != nil {
		return "", err
	}
	return bufio.NewReader(c).ReadString('\n')
}

// upperServer is a real server of the upper-case line protocol on
// 127.0.0.1 (any port), for one connection.
func upperServer(ctx context.Context) (transport.Listener, <-chan struct{}) {
	ln, err := netsock.New().Listen(ctx, netip.MustParseAddrPort("127.0.0.1:0"), transport.ListenOptions{})
	if err != nil {
		panic(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.AcceptStream(ctx)
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			_, _ = io.WriteString(c, strings.ToUpper(line))
		}
	}()
	return ln, done
}

// Record the hello client against a real server on loopback, then replay
// the recording in memory against the same client: the scripted server
// expects "hello\n", answers "HELLO\n" and expects the client to close.
func Example() {
	ctx := context.Background()
	ln, served := upperServer(ctx)
	defer ln.Close()

	// Record: the client dials through a Recorder over the OS transport.
	rec := record.New(netsock.New())
	answer, err := hello(ctx, rec, ln.AddrPort())
	fmt.Printf("real:     %q %v\n", answer, err)
	<-served

	// The script is data: pin the ports the kernel chose and drop the
	// timings, so that this printout is the same on every run.
	s := rec.Script()
	s.Conns[0].Client = netip.MustParseAddrPort("127.0.0.1:40000")
	s.Conns[0].Server = netip.MustParseAddrPort("127.0.0.1:7")
	for i := range s.Events {
		s.Events[i].Delay = 0
	}
	text, _ := record.Marshal(s)
	fmt.Print(string(text))

	// Replay: the same client, on an in-memory host, against the script.
	s, _ = record.Parse(text)
	synctest.Test(&testing.T{}, func(t *testing.T) { // in a test: the test's t
		client := mem.New().MustAddHost("client")
		rp := record.Replay(t, client, s)
		answer, err := hello(ctx, client, netip.MustParseAddrPort("127.0.0.1:7"))
		<-rp.Done()
		fmt.Printf("replayed: %q %v %v\n", answer, err, rp.Err())
	})
	// Output:
	// real:     "HELLO\n" <nil>
	// conn 1 127.0.0.1:40000 -> 127.0.0.1:7
	// -- conn 1 open --
	// -- conn 1 client send --
	// hello
	// -- conn 1 server send --
	// HELLO
	// -- conn 1 client close --
	// replayed: "HELLO\n" <nil> <nil>
}
