// Command broadcastsender is Qt's broadcast sender example on slotnet: it
// broadcasts "Broadcast message N" (N from 1) to a UDP port once an
// interval, printing each. By default it writes to 255.255.255.255, as
// Qt's does, which leaves by the default interface; -address names a
// directed broadcast address instead and -bind the address to send from,
// e.g. to stay on loopback:
//
//	go run ./examples/broadcastsender -port 45454 -interval 1s
//	go run ./examples/broadcastsender -address 127.255.255.255 -bind 127.0.0.1
package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/broadcast"
	"github.com/slotnet/slotnet/transport"
)

type config struct {
	port     int
	address  string // "" is 255.255.255.255
	bind     string // "" leaves binding to the first write
	interval time.Duration
	count    int
}

func main() {
	var c config
	flag.IntVar(&c.port, "port", broadcast.Port, "UDP port to broadcast to")
	flag.StringVar(&c.address, "address", "255.255.255.255", "IPv4 broadcast address to write to (e.g. 127.255.255.255 to stay on loopback)")
	flag.StringVar(&c.bind, "bind", "", "local IPv4 address to send from (empty: any)")
	flag.DurationVar(&c.interval, "interval", broadcast.Interval, "time between messages")
	flag.IntVar(&c.count, "count", 0, "stop after this many messages (0: never)")
	flag.Parse()
	if err := run(os.Stdout, c); err != nil {
		fmt.Fprintln(os.Stderr, "broadcastsender:", err)
		os.Exit(1)
	}
}

// run broadcasts c.count messages (forever if 0), printing a line for
// each, and returns after the last or on the first failure.
func run(out io.Writer, c config, opts ...socket.Option) error {
	if c.count < 0 {
		return fmt.Errorf("the count must not be negative")
	}
	var addr, bind netip.Addr
	var err error
	if c.address != "" {
		if addr, err = netip.ParseAddr(c.address); err != nil {
			return fmt.Errorf("-address: %w", err)
		}
	}
	if c.bind != "" {
		if bind, err = netip.ParseAddr(c.bind); err != nil {
			return fmt.Errorf("-bind: %w", err)
		}
	}
	l := core.NewLoop(core.WithName("broadcastsender"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	var s *broadcast.Sender
	if ierr := l.Invoke(func() {
		if s, err = broadcast.NewSender(l, c.port, c.interval, opts...); err != nil {
			return
		}
		if addr.IsValid() {
			if err = s.SetAddress(addr); err != nil {
				return
			}
		}
		if bind.IsValid() {
			if err = s.Socket().Bind(bind, 0, transport.DefaultForPlatform); err != nil {
				err = fmt.Errorf("bind %v: %w", bind, err)
				return
			}
		}
		_, _ = s.Sent.Connect(func(n int) {
			fmt.Fprintf(out, "Now broadcasting datagram %d\n", n)
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
	if s != nil {
		defer func() { _ = l.Invoke(s.Close) }()
	}
	if err != nil {
		return err
	}
	return <-done
}
