// Command broadcastsender is Qt's broadcast sender example on slotnet: it
// broadcasts "Broadcast message N" (N from 1) to a UDP port once an
// interval, printing each.
//
//	go run ./examples/broadcastsender -port 45454 -interval 1s
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/broadcast"
)

func main() {
	port := flag.Int("port", broadcast.Port, "UDP port to broadcast to")
	interval := flag.Duration("interval", broadcast.Interval, "time between messages")
	count := flag.Int("count", 0, "stop after this many messages (0: never)")
	flag.Parse()
	if err := run(os.Stdout, *port, *interval, *count); err != nil {
		fmt.Fprintln(os.Stderr, "broadcastsender:", err)
		os.Exit(1)
	}
}

// run broadcasts count messages (forever if count is 0), printing a line
// for each, and returns after the last or on the first failure.
func run(out io.Writer, port int, interval time.Duration, count int, opts ...socket.Option) error {
	if count < 0 {
		return fmt.Errorf("the count must not be negative")
	}
	l := core.NewLoop(core.WithName("broadcastsender"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	var s *broadcast.Sender
	var err error
	if ierr := l.Invoke(func() {
		if s, err = broadcast.NewSender(l, port, interval, opts...); err != nil {
			return
		}
		_, _ = s.Sent.Connect(func(n int) {
			fmt.Fprintf(out, "Now broadcasting datagram %d\n", n)
			if n == count {
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
