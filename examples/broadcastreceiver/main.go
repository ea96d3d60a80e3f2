// Command broadcastreceiver is Qt's broadcast receiver example on slotnet:
// it binds a UDP port on every IPv4 address (shared, so several receivers
// can run on one host) and prints each datagram it receives.
//
//	go run ./examples/broadcastreceiver -port 45454
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/broadcast"
)

func main() {
	port := flag.Int("port", broadcast.Port, "UDP port to listen on")
	count := flag.Int("count", 0, "exit after this many datagrams (0: never)")
	flag.Parse()
	if err := run(os.Stdout, *port, *count, nil); err != nil {
		fmt.Fprintln(os.Stderr, "broadcastreceiver:", err)
		os.Exit(1)
	}
}

// run prints each datagram received on port and returns after count of
// them (never if count is 0). ready, if not nil, is closed once bound.
func run(out io.Writer, port, count int, ready chan<- struct{}, opts ...socket.Option) error {
	if count < 0 {
		return fmt.Errorf("the count must not be negative")
	}
	l := core.NewLoop(core.WithName("broadcastreceiver"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	var r *broadcast.Receiver
	var err error
	n := 0
	if ierr := l.Invoke(func() {
		if r, err = broadcast.NewReceiver(l, port, opts...); err != nil {
			return
		}
		_, _ = r.Received.Connect(func(msg string) {
			if count > 0 && n == count {
				return
			}
			n++
			fmt.Fprintf(out, "Received datagram: %q\n", msg)
			if n == count {
				close(done)
			}
		})
	}); ierr != nil {
		return ierr
	}
	if err != nil {
		return err
	}
	defer func() { _ = l.Invoke(r.Close) }()
	if ready != nil {
		close(ready)
	}
	<-done
	return nil
}
