package remote

import (
	"context"
	"net"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/slotnet/slotnet/transport"
)

// dialer adapts a slotnet transport to nats.go's CustomDialer.
type dialer struct {
	dial    func(ctx context.Context, network, address string) (net.Conn, error)
	timeout time.Duration
}

// Dialer returns a nats.CustomDialer that dials through t, for
// nats.SetCustomDialer: a NATS client on the in-memory network
// (transport/mem) meets its faults — partitions, latency, resets — as a
// real client meets the network's. timeout bounds one dial (0: 5s).
func Dialer(t transport.Transport, timeout time.Duration) nats.CustomDialer {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	return &dialer{dial: transport.DialContextFunc(t), timeout: timeout}
}

func (d *dialer) Dial(network, address string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
	defer cancel()
	return d.dial(ctx, network, address)
}
