package transporttest

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/net/nettest"

	"github.com/slotnet/slotnet/transport"
)

// TestConn runs golang.org/x/net/nettest.TestConn on the env's streams: each
// pipe is a client stream dialled to a server stream accepted on a fresh
// System. nettest calls t.Run, which a synctest bubble forbids, so TestConn
// runs outside Env.Bubble, in real time, even for a virtual-time transport
// (which then keeps time with the real clock); nettest's own timings are a
// few hundred milliseconds.
func TestConn(t *testing.T, env Env) {
	if reason, ok := env.skipReason("Conn"); ok {
		t.Skip(reason)
	}
	nettest.TestConn(t, MakePipe(t, env))
}

// MakePipe returns a nettest.MakePipe over env: every call builds a fresh
// System (outside any bubble), listens on the server, dials from the
// client and accepts. stop closes both streams and the listener.
func MakePipe(t testing.TB, env Env) nettest.MakePipe {
	return func() (c1, c2 net.Conn, stop func(), err error) {
		sys := env.Setup(t)
		ctx := context.Background()
		ln, err := sys.Server.Listen(ctx, netip.AddrPortFrom(sys.ServerAddr, 0), transport.ListenOptions{})
		if err != nil {
			return nil, nil, nil, err
		}
		client, err := sys.Client.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
		if err != nil {
			_ = ln.Close()
			return nil, nil, nil, err
		}
		server, err := ln.AcceptStream(ctx)
		if err != nil {
			_ = client.Close()
			_ = ln.Close()
			return nil, nil, nil, err
		}
		stop = func() {
			_ = client.Close()
			_ = server.Close()
			_ = ln.Close()
		}
		return client, server, stop, nil
	}
}
