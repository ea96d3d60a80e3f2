package transport_test

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/net/nettest"

	"github.com/slotnet/slotnet/transport"
)

// TestOSStreamConformance runs package net's conformance suite on the OS
// stream wrapper over loopback.
func TestOSStreamConformance(t *testing.T) {
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		tr := transport.NewOS()
		l, err := tr.Listen(context.Background(), netip.AddrPortFrom(loop4, 0), transport.ListenOptions{})
		if err != nil {
			return nil, nil, nil, err
		}
		defer l.Close()
		accepted := make(chan transport.Stream, 1)
		go func() {
			s, _ := l.AcceptStream(context.Background())
			accepted <- s
		}()
		c, err := tr.Dial(context.Background(), l.AddrPort(), transport.DialOptions{NoDelay: true})
		s := <-accepted
		if err != nil {
			if s != nil {
				s.Close()
			}
			return nil, nil, nil, err
		}
		stop = func() {
			c.Close()
			s.Close()
		}
		return c, s, stop, nil
	})
}
