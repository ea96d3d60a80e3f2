package mem

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"github.com/slotnet/slotnet/transport"
	"golang.org/x/net/nettest"
)

// TestConnConformance runs x/net's net.Conn suite over streams between two
// hosts and over loopback, in real time.
func TestConnConformance(t *testing.T) {
	for _, loop := range []bool{false, true} {
		name := map[bool]string{false: "TwoHosts", true: "Loopback"}[loop]
		t.Run(name, func(t *testing.T) {
			nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
				_, a, b := twoHosts(t)
				if loop {
					b = a
				}
				ctx := context.Background()
				ln, err := b.Listen(ctx, netip.AddrPortFrom(netip.IPv4Unspecified(), 0), transport.ListenOptions{})
				if err != nil {
					return nil, nil, nil, err
				}
				dst := netip.AddrPortFrom(b.Addr(), ln.AddrPort().Port())
				c, err := a.Dial(ctx, dst, transport.DialOptions{})
				if err != nil {
					return nil, nil, nil, err
				}
				s, err := ln.AcceptStream(ctx)
				if err != nil {
					return nil, nil, nil, err
				}
				stop = func() { _ = c.Close(); _ = s.Close(); _ = ln.Close() }
				return c, s, stop, nil
			})
		})
	}
}
