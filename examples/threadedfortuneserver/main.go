// Command threadedfortuneserver is Qt's threaded fortune server on slotnet:
// the server accepts on its own loop and hands each connection to one of
// -loops worker loops in turn (tcp.LoopPool through
// Server.SetIncomingConnection, Qt's incomingConnection override), where the
// fortune is written and the connection closed. Qt starts a thread per
// connection; a pool of loops does the same work without a goroutine and a
// loop per client.
//
//	go run ./examples/threadedfortuneserver -port 0
//	go run ./examples/threadedfortuneserver -port 5000 -loops 8 -framing qt56
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"

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
	fs := flag.NewFlagSet("threadedfortuneserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("address", "127.0.0.1", "address to listen on (0.0.0.0 or :: for every interface)")
	port := fs.Int("port", 0, "port to listen on; 0 picks a free one")
	framing := fortune.Qt57
	fs.Var(&framing, "framing", "qt57 (the bare QString) or qt56 (a quint16 byte count, then the QString)")
	loops := fs.Int("loops", 4, "worker loops the connections are spread over (1…256)")
	n := fs.Int("n", 0, "exit after serving this many fortunes; 0 serves until interrupted")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, err := transport.ParseHostAddress(*addr)
	if err != nil {
		fmt.Fprintln(stderr, "threadedfortuneserver:", err)
		return 2
	}
	if *loops < 1 || *loops > 256 {
		fmt.Fprintln(stderr, "threadedfortuneserver: -loops must be 1…256")
		return 2
	}
	server, workers, err := startLoops(*loops)
	defer func() {
		for _, l := range append(workers, server) {
			_ = l.Close()
		}
	}()
	if err != nil {
		fmt.Fprintln(stderr, "threadedfortuneserver:", err)
		return 1
	}
	c := &counter{out: stdout, n: *n, done: make(chan struct{})}
	srv, err := fortune.ServeThreaded(server, workers, host, *port, fortune.Config{Framing: framing, Served: c.report})
	if err != nil {
		fmt.Fprintln(stderr, "threadedfortuneserver:", err)
		return 1
	}
	fmt.Fprintf(stdout, "The server is running on %v port %d (framing %v, %d loops)\n",
		srv.ServerAddress(), srv.ServerPort(), framing, len(workers))
	select {
	case <-ctx.Done():
	case <-c.done:
	}
	_ = server.Invoke(srv.Destroy)
	return 0
}

// startLoops starts the server's loop and n workers.
func startLoops(n int) (server *core.Loop, workers []*core.Loop, err error) {
	server = core.NewLoop(core.WithName("server"))
	if err := server.Start(); err != nil {
		return server, nil, err
	}
	for i := range n {
		w := core.NewLoop(core.WithName(fmt.Sprintf("worker%d", i+1)))
		workers = append(workers, w)
		if err := w.Start(); err != nil {
			return server, workers, err
		}
	}
	return server, workers, nil
}

// counter prints what the workers serve and closes done after n fortunes
// have gone out. The workers call it from their loops at once.
type counter struct {
	out  io.Writer
	n    int
	done chan struct{}

	mu    sync.Mutex // guards count and out
	count int
}

func (c *counter) report(f string, to *tcp.Socket) {
	c.mu.Lock()
	fmt.Fprintf(c.out, "%s sent %q to %v:%d\n", to.Loop().Name(), f, to.PeerAddress(), to.PeerPort())
	c.mu.Unlock()
	_, _ = to.Disconnected.Connect(func() { // the fortune is out
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.count++; c.count == c.n {
			close(c.done)
		}
	})
}
