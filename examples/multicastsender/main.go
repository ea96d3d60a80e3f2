// Command multicastsender is Qt's multicast sender example on slotnet: it
// writes "Multicast message N" (N from 1) to 239.255.43.21 (ff12::2115
// with -ipv6), port 45454, once an interval with a TTL, printing each.
//
//	go run ./examples/multicastsender -ttl 1 -interval 1s
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/multicast"
)

type config struct {
	ipv6     bool
	port     int
	ttl      int
	iface    string
	interval time.Duration
	count    int
}

func main() {
	var c config
	flag.BoolVar(&c.ipv6, "ipv6", false, "send to the IPv6 group ff12::2115 instead of 239.255.43.21")
	flag.IntVar(&c.port, "port", multicast.Port, "UDP port")
	flag.IntVar(&c.ttl, "ttl", multicast.TTL, "multicast TTL (hop limit), 0…255")
	flag.StringVar(&c.iface, "iface", "", "interface to send by (empty: the system's choice)")
	flag.DurationVar(&c.interval, "interval", multicast.Interval, "time between messages")
	flag.IntVar(&c.count, "count", 0, "stop after this many messages (0: never)")
	flag.Parse()
	if err := run(os.Stdout, c); err != nil {
		fmt.Fprintln(os.Stderr, "multicastsender:", err)
		os.Exit(1)
	}
}

// run sends c.count messages (forever if 0), printing a line for each.
func run(out io.Writer, c config, opts ...socket.Option) error {
	if c.count < 0 {
		return fmt.Errorf("the count must not be negative")
	}
	group := multicast.Group4
	if c.ipv6 {
		group = multicast.Group6
	}
	l := core.NewLoop(core.WithName("multicastsender"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	var s *multicast.Sender
	var err error
	if ierr := l.Invoke(func() {
		if s, err = multicast.NewSender(l, group, c.port, c.ttl, c.iface, c.interval, opts...); err != nil {
			return
		}
		_, _ = s.Sent.Connect(func(n int) {
			fmt.Fprintf(out, "Now sending datagram %d to %v\n", n, group)
			if n == c.count {
				s.Stop()
				done <- nil
			}
		})
		_, _ = s.Failed.Connect(func(msg string) {
			s.Stop()
			done <- fmt.Errorf("%s", msg)
		})
		err = s.Start()
	}); ierr != nil {
		return ierr
	}
	if err != nil {
		return err
	}
	defer func() { _ = l.Invoke(s.Close) }()
	return <-done
}
