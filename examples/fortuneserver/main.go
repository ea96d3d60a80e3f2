// Command fortuneserver is Qt's fortune server on slotnet: it listens, and
// answers every connection with a fortune chosen at random, framed as Qt
// 5.7 (the bare QString) or Qt 5.6 (a quint16 byte count first), then
// closes the connection. It runs event-driven on one core.Loop and prints
// the port it listens on (-port 0 picks one).
//
//	go run ./examples/fortuneserver -port 0
//	go run ./examples/fortuneserver -port 5000 -framing qt56 -n 3
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/examples/internal/fortune"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run serves fortunes until ctx ends or -n fortunes have been served, and
// returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fortuneserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("address", "127.0.0.1", "address to listen on (0.0.0.0 or :: for every interface)")
	port := fs.Int("port", 0, "port to listen on; 0 picks a free one")
	framing := fortune.Qt57
	fs.Var(&framing, "framing", "qt57 (the bare QString) or qt56 (a quint16 byte count, then the QString)")
	n := fs.Int("n", 0, "exit after serving this many fortunes; 0 serves until interrupted")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, err := transport.ParseHostAddress(*addr)
	if err != nil {
		fmt.Fprintln(stderr, "fortuneserver:", err)
		return 2
	}
	l := core.NewLoop(core.WithName("fortuneserver"))
	if err := l.Start(); err != nil {
		fmt.Fprintln(stderr, "fortuneserver:", err)
		return 1
	}
	defer l.Close()
	done := make(chan struct{})
	served := 0 // on l
	srv, err := fortune.Serve(l, host, *port, fortune.Config{Framing: framing,
		Served: func(f string, to *tcp.Socket) {
			fmt.Fprintf(stdout, "sent %q to %v:%d\n", f, to.PeerAddress(), to.PeerPort())
			_, _ = to.Disconnected.Connect(func() { // the fortune is out
				if served++; served == *n {
					close(done)
				}
			})
		}})
	if err != nil {
		fmt.Fprintln(stderr, "fortuneserver:", err)
		return 1
	}
	fmt.Fprintf(stdout, "The server is running on %v port %d (framing %v)\n", srv.ServerAddress(), srv.ServerPort(), framing)
	select {
	case <-ctx.Done():
	case <-done:
	}
	_ = l.Invoke(srv.Destroy)
	return 0
}
