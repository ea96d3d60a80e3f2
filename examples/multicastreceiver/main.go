// Command multicastreceiver is Qt's multicast receiver example on slotnet:
// it binds port 45454 (shared) and joins 239.255.43.21 (ff12::2115 with
// -ipv6), says so ("Listening for multicast messages on …", as Qt's
// example's label does) and prints each datagram it receives.
//
//	go run ./examples/multicastreceiver
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/multicast"
)

type config struct {
	ipv6  bool
	port  int
	iface string
	count int
}

func main() {
	var c config
	flag.BoolVar(&c.ipv6, "ipv6", false, "join the IPv6 group ff12::2115 instead of 239.255.43.21")
	flag.IntVar(&c.port, "port", multicast.Port, "UDP port")
	flag.StringVar(&c.iface, "iface", "", "interface to join on (empty: the system's choice)")
	flag.IntVar(&c.count, "count", 0, "exit after this many datagrams (0: never)")
	flag.Parse()
	if err := run(os.Stdout, c, nil); err != nil {
		fmt.Fprintln(os.Stderr, "multicastreceiver:", err)
		os.Exit(1)
	}
}

// run prints a line once it is a member of the group, then each datagram
// sent to the group, and returns after c.count of them (never if 0). ready, if not nil, is closed once joined.
func run(out io.Writer, c config, ready chan<- struct{}, opts ...socket.Option) error {
	if c.count < 0 {
		return fmt.Errorf("the count must not be negative")
	}
	group := multicast.Group4
	if c.ipv6 {
		group = multicast.Group6
	}
	l := core.NewLoop(core.WithName("multicastreceiver"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	var r *multicast.Receiver
	var err error
	n := 0
	if ierr := l.Invoke(func() {
		if r, err = multicast.NewReceiver(l, group, c.port, c.iface, opts...); err != nil {
			return
		}
		// On the loop, so before any datagram's line.
		fmt.Fprintf(out, "Listening for multicast messages on %v port %d\n", group, c.port)
		_, _ = r.Received.Connect(func(msg string) {
			if c.count > 0 && n == c.count {
				return
			}
			n++
			fmt.Fprintf(out, "Received datagram: %q\n", msg)
			if n == c.count {
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
