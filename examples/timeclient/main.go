// Command timeclient is the UDP time client of the seeds' PyQt5 chapter on
// slotnet: it asks the time server for the time and prints the answer.
//
//	go run ./examples/timeclient -host 127.0.0.1 -port 6666
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/udptime"
)

func main() {
	host := flag.String("host", "127.0.0.1", "server address")
	port := flag.Int("port", udptime.Port, "server UDP port")
	timeout := flag.Duration("timeout", 5*time.Second, "how long to wait for the answer")
	flag.Parse()
	if err := run(os.Stdout, *host, *port, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "timeclient:", err)
		os.Exit(1)
	}
}

// run asks the server at host and port for the time and prints it.
func run(out io.Writer, host string, port int, timeout time.Duration, opts ...socket.Option) error {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("the host must be an IP address: %w", err)
	}
	if port < 1 || port > 65535 {
		return fmt.Errorf("the port must be in 1…65535")
	}
	if timeout <= 0 {
		return fmt.Errorf("the timeout must be positive")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	t, err := udptime.Query(ctx, a, port, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, t)
	return nil
}
