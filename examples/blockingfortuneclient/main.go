// Command blockingfortuneclient is Qt's blocking fortune client on slotnet:
// no event loop; a goroutine of its own (Qt's worker thread) makes the
// socket and drives it with WaitForConnected and WaitForReadyRead, each
// bounded by -timeout, while main waits for its answer. The protocol and
// the two framings are the fortune client's.
//
//	go run ./examples/blockingfortuneclient -port 5000
//	go run ./examples/blockingfortuneclient -port 5000 -framing qt56
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/slotnet/slotnet/examples/internal/fortune"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// result is what the worker hands back to main.
type result struct {
	fortune string
	err     error
}

// run fetches -count fortunes on a worker goroutine, printing each, and
// returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("blockingfortuneclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "127.0.0.1", "the server's host name or address")
	port := fs.Int("port", 0, "the server's port (required)")
	framing := fortune.Qt57
	fs.Var(&framing, "framing", "qt57 (the bare QString) or qt56 (a quint16 byte count, then the QString)")
	count := fs.Int("count", 1, "how many fortunes to fetch, one connection each")
	timeout := fs.Duration("timeout", 10*time.Second, "bound on each wait (connecting, each read)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *port <= 0 || *port > 0xFFFF {
		fmt.Fprintln(stderr, "blockingfortuneclient: -port must be 1…65535")
		return 2
	}
	// The worker owns its socket from start to end: a socket without a
	// loop lives on the goroutine that uses it.
	results := make(chan result)
	go func() {
		defer close(results)
		for range *count {
			f, err := fortune.FetchBlocking(*host, *port, framing, *timeout)
			results <- result{f, err}
			if err != nil {
				return
			}
		}
	}()
	code := 0
	for r := range results {
		if r.err != nil {
			fmt.Fprintln(stderr, "blockingfortuneclient:", r.err)
			code = 1
			continue
		}
		fmt.Fprintln(stdout, r.fortune)
	}
	return code
}
