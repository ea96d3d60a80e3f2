// Command fortuneclient is Qt's fortune client on slotnet: it connects to a
// fortune server, reads one fortune on ReadyRead — event-driven on a
// core.Loop — and prints it. With -framing qt57 (the default) it reads the
// bare QString inside a DataStream transaction, retried on each ReadyRead
// until the string is complete; with -framing qt56 it reads Qt 5.6's quint16
// byte count first and waits for that many bytes.
//
//	go run ./examples/fortuneclient -port 5000
//	go run ./examples/fortuneclient -host localhost -port 5000 -framing qt56
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/examples/internal/fortune"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run fetches -count fortunes, printing each, and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fortuneclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "127.0.0.1", "the server's host name or address")
	port := fs.Int("port", 0, "the server's port (required)")
	framing := fortune.Qt57
	fs.Var(&framing, "framing", "qt57 (the bare QString) or qt56 (a quint16 byte count, then the QString)")
	count := fs.Int("count", 1, "how many fortunes to fetch, one connection each")
	timeout := fs.Duration("timeout", 10*time.Second, "give up on a fortune after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *port <= 0 || *port > 0xFFFF {
		fmt.Fprintln(stderr, "fortuneclient: -port must be 1…65535")
		return 2
	}
	l := core.NewLoop(core.WithName("fortuneclient"))
	if err := l.Start(); err != nil {
		fmt.Fprintln(stderr, "fortuneclient:", err)
		return 1
	}
	defer l.Close()
	for range *count {
		fctx, cancel := context.WithTimeout(ctx, *timeout)
		f, err := fortune.Fetch(fctx, l, *host, *port, framing)
		cancel()
		if err != nil {
			fmt.Fprintln(stderr, "fortuneclient:", err)
			return 1
		}
		fmt.Fprintln(stdout, f)
	}
	return 0
}
