package bench

import (
	"context"
	"io"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"testing"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

// pairMaker returns two connected ends of a stream and a cleanup.
type pairMaker func(b *testing.B) (a, z net.Conn, cleanup func())

// streamPairs are the stream implementations compared: the in-memory
// network against net.Pipe (the in-process baseline) and OS loopback TCP.
var streamPairs = []struct {
	name string
	make pairMaker
}{
	{"mem", memPair},
	{"netpipe", func(*testing.B) (net.Conn, net.Conn, func()) {
		a, z := net.Pipe()
		return a, z, func() { a.Close(); z.Close() }
	}},
	{"loopbacktcp", tcpPair},
}

func memPair(b *testing.B) (net.Conn, net.Conn, func()) {
	n := mem.New(mem.WithSeed(1))
	srv := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	cli := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	return dialPair(b, srv, cli, netip.MustParseAddrPort("10.0.0.2:7000"))
}

func tcpPair(b *testing.B) (net.Conn, net.Conn, func()) {
	ost := netsock.New()
	return dialPair(b, ost, ost, netip.MustParseAddrPort("127.0.0.1:0"))
}

// dialPair listens on srv at addr, dials from cli and returns both ends.
func dialPair(b *testing.B, srv, cli transport.Transport, addr netip.AddrPort) (net.Conn, net.Conn, func()) {
	ctx := context.Background()
	l, err := srv.Listen(ctx, addr, transport.ListenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			b.Error(err)
		}
		accepted <- c
	}()
	c, err := cli.Dial(ctx, l.AddrPort(), transport.DialOptions{})
	if err != nil {
		b.Fatal(err)
	}
	s := <-accepted
	l.Close()
	return c, s, func() { c.Close(); s.Close() }
}

// BenchmarkStreamThroughput writes size-byte chunks one way as fast as the
// reader drains them.
func BenchmarkStreamThroughput(b *testing.B) {
	for _, size := range []int{64 << 10, 64} {
		for _, p := range streamPairs {
			b.Run("size="+strconv.Itoa(size)+"/"+p.name, func(b *testing.B) {
				a, z, cleanup := p.make(b)
				defer cleanup()
				buf := make([]byte, size)
				var wg sync.WaitGroup
				wg.Go(func() {
					rbuf := make([]byte, 64<<10)
					for {
						if _, err := z.Read(rbuf); err != nil {
							return
						}
					}
				})
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := a.Write(buf); err != nil {
						b.Fatal(err)
					}
				}
				a.Close()
				wg.Wait()
			})
		}
	}
}

// BenchmarkStreamRoundTrip sends size bytes and waits for them to be echoed.
func BenchmarkStreamRoundTrip(b *testing.B) {
	for _, size := range []int{64, 64 << 10} {
		for _, p := range streamPairs {
			b.Run("size="+strconv.Itoa(size)+"/"+p.name, func(b *testing.B) {
				a, z, cleanup := p.make(b)
				defer cleanup()
				var wg sync.WaitGroup
				wg.Go(func() {
					buf := make([]byte, size)
					for {
						if _, err := io.ReadFull(z, buf); err != nil {
							return
						}
						if _, err := z.Write(buf); err != nil {
							return
						}
					}
				})
				buf := make([]byte, size)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := a.Write(buf); err != nil {
						b.Fatal(err)
					}
					if _, err := io.ReadFull(a, buf); err != nil {
						b.Fatal(err)
					}
				}
				a.Close()
				wg.Wait()
			})
		}
	}
}

// BenchmarkDatagram sends a 64-byte datagram and reads it back on one
// goroutine: the cost of one datagram through each implementation.
func BenchmarkDatagram(b *testing.B) {
	b.Run("mem", func(b *testing.B) {
		n := mem.New(mem.WithSeed(1))
		h := n.MustAddHost("h", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		benchDatagram(b, h, netip.MustParseAddrPort("10.0.0.1:0"))
	})
	b.Run("transportos", func(b *testing.B) {
		benchDatagram(b, netsock.New(), netip.MustParseAddrPort("127.0.0.1:0"))
	})
	b.Run("netudpconn", func(b *testing.B) {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		dst := c.LocalAddr().(*net.UDPAddr).AddrPort()
		buf, rbuf := make([]byte, 64), make([]byte, 2048)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.WriteToUDPAddrPort(buf, dst); err != nil {
				b.Fatal(err)
			}
			if _, _, err := c.ReadFromUDPAddrPort(rbuf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchDatagram(b *testing.B, t transport.Transport, addr netip.AddrPort) {
	d, err := t.BindDatagram(context.Background(), addr, transport.BindOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	dst := d.LocalAddrPort()
	buf, rbuf := make([]byte, 64), make([]byte, 2048)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.WriteDatagram(buf, dst); err != nil {
			b.Fatal(err)
		}
		if _, _, err := d.ReadDatagram(rbuf); err != nil {
			b.Fatal(err)
		}
	}
}
