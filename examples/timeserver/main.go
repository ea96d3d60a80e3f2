// Command timeserver is the UDP time server of the seeds' PyQt5 chapter on
// slotnet: it answers every datagram sent to its port with its current
// time, and logs each client.
//
//	go run ./examples/timeserver -port 6666
package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/udptime"
)

func main() {
	addr := flag.String("addr", "0.0.0.0", "address to bind")
	port := flag.Int("port", udptime.Port, "UDP port (0 picks one)")
	flag.Parse()
	a, err := netip.ParseAddr(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "timeserver:", err)
		os.Exit(2)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	if err := run(os.Stdout, a, *port, nil, stop); err != nil {
		fmt.Fprintln(os.Stderr, "timeserver:", err)
		os.Exit(1)
	}
}

// run serves on addr and port until stop yields; ready, if not nil, gets
// the bound port.
func run[T any](out io.Writer, addr netip.Addr, port int, ready chan<- int, stop <-chan T, opts ...socket.Option) error {
	l := core.NewLoop(core.WithName("timeserver"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	s := udptime.NewServer(l, nil, opts...)
	_, _ = s.Served.Connect(func(a netip.AddrPort) { fmt.Fprintf(out, "time sent to %v\n", a) })
	var err error
	if ierr := l.Invoke(func() { err = s.Start(addr, port); port = s.Port() }); ierr != nil {
		return ierr
	}
	if err != nil {
		return err
	}
	defer func() { _ = l.Invoke(s.Stop) }()
	fmt.Fprintf(out, "time server on %v port %d\n", addr, port)
	if ready != nil {
		ready <- port
	}
	<-stop
	return nil
}
