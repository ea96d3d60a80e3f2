package tcp_test

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

// world is where a test runs: the client's and the server's transports and
// how to name the server.
type world struct {
	name       string
	client     transport.Transport
	server     transport.Transport
	serverAddr netip.Addr
	clientAddr netip.Addr // an address of the client's host
	serverName string     // resolves to serverAddr
	missing    string     // does not resolve
	// stall returns a port on serverAddr where a connection never
	// completes, and a function that ends the stall.
	stall func(t testing.TB) (port int, heal func())
}

var (
	memClient = netip.MustParseAddr("10.0.0.1")
	memServer = netip.MustParseAddr("10.0.0.2")
)

func memWorld(t testing.TB) world {
	zone := mem.NewZone()
	if err := zone.AddA("server.test", memServer); err != nil {
		t.Fatal(err)
	}
	n := mem.New(mem.WithSeed(1))
	n.SetZone(zone)
	c := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(memClient, 24)}})
	s := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(memServer, 24)}})
	stall := func(t testing.TB) (int, func()) {
		ln, err := s.Listen(context.Background(), netip.AddrPortFrom(memServer, 0), transport.ListenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ln.Close() })
		n.Partition(c, s) // SYNs are lost: the dial retries until it times out
		return int(ln.AddrPort().Port()), func() { n.Heal(c, s) }
	}
	return world{name: "mem", client: c, server: s, serverAddr: memServer, clientAddr: memClient,
		serverName: "server.test", missing: "nowhere.test", stall: stall}
}

func osWorld(testing.TB) world {
	o := netsock.New()
	lo := netip.MustParseAddr("127.0.0.1")
	// A listener whose queue is full: Linux drops further SYNs.
	stall := func(t testing.TB) (int, func()) {
		ctx := context.Background()
		ln, err := o.Listen(ctx, netip.AddrPortFrom(lo, 0), transport.ListenOptions{Backlog: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ln.Close() })
		for i := 0; ; i++ {
			if i == 64 {
				t.Fatal("the listen queue never filled")
			}
			dctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			st, err := o.Dial(dctx, ln.AddrPort(), transport.DialOptions{})
			cancel()
			if err != nil {
				break
			}
			t.Cleanup(func() { _ = st.Close() })
		}
		return int(ln.AddrPort().Port()), func() {}
	}
	return world{stall: stall, name: "os", client: o, server: o, serverAddr: netip.MustParseAddr("127.0.0.1"), clientAddr: netip.MustParseAddr("127.0.0.1"),
		serverName: "localhost", missing: "nosuchhost.invalid"}
}

// both runs f over the OS loopback and over the in-memory network (in a
// synctest bubble, so waits take no real time).
func both(t *testing.T, f func(t *testing.T, w world)) {
	t.Run("os", func(t *testing.T) { f(t, osWorld(t)) })
	t.Run("mem", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) { f(t, memWorld(t)) })
	})
}

// startLoop runs a loop for the test and closes it at the end.
func startLoop(t testing.TB, name string) *core.Loop {
	t.Helper()
	l := core.NewLoop(core.WithName(name))
	if err := l.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// on runs fn on l and waits for it.
func on(t testing.TB, l *core.Loop, fn func()) {
	t.Helper()
	if err := l.Invoke(fn); err != nil {
		t.Fatal(err)
	}
}

func listen(t testing.TB, w world, opts ...socket.Option) *tcp.Server {
	t.Helper()
	srv, err := tcp.NewServer(append([]socket.Option{socket.WithTransport(w.server)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(transport.HostAddressFrom(w.serverAddr), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Destroy() })
	return srv
}

var errWrongLoop = core.ErrWrongLoop

var netip127 = netip.MustParseAddr("127.0.0.1")
