package fortune

import (
	"context"
	"net/netip"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

// world is where a test runs: the server's host and the client's.
type world struct {
	server, client []socket.Option
	addr           transport.HostAddress // the server listens here
	host           string                // the client connects to this name
}

func memWorld(t testing.TB) world {
	zone := mem.NewZone()
	require.NoError(t, zone.AddA("fortune.test", netip.MustParseAddr("10.0.0.2")))
	n := mem.New(mem.WithSeed(1))
	n.SetZone(zone)
	c := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	s := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	return world{
		server: []socket.Option{socket.WithTransport(s)},
		client: []socket.Option{socket.WithTransport(c)},
		addr:   transport.MustParseHostAddress("10.0.0.2"),
		host:   "fortune.test",
	}
}

func osWorld(testing.TB) world {
	o := []socket.Option{socket.WithTransport(netsock.New())}
	return world{server: o, client: o, addr: transport.MustParseHostAddress("127.0.0.1"), host: "127.0.0.1"}
}

// both runs f over the in-memory network (in a synctest bubble) and over
// the OS loopback.
func both(t *testing.T, f func(t *testing.T, w world)) {
	t.Run("mem", func(t *testing.T) { synctest.Test(t, func(t *testing.T) { f(t, memWorld(t)) }) })
	t.Run("os", func(t *testing.T) { f(t, osWorld(t)) })
}

func startLoop(t testing.TB, name string) *core.Loop {
	t.Helper()
	l := core.NewLoop(core.WithName(name))
	require.NoError(t, l.Start())
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// serve starts a server (threaded: on two worker loops) that serves the
// fortunes in turn and reports each one it sent.
func serve(t *testing.T, w world, f Framing, threaded bool) (port int, served <-chan string) {
	t.Helper()
	l := startLoop(t, "server")
	ch := make(chan string, 16)
	var next atomic.Int32 // a threaded server picks on its worker loops
	cfg := Config{Framing: f, Pick: func(int) int { return int(next.Add(1) - 1) },
		Served: func(s string, _ *tcp.Socket) { ch <- s }}
	var srv *tcp.Server
	var err error
	if threaded {
		srv, err = ServeThreaded(l, []*core.Loop{startLoop(t, "w1"), startLoop(t, "w2")}, w.addr, 0, cfg, w.server...)
	} else {
		srv, err = Serve(l, w.addr, 0, cfg, w.server...)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Invoke(srv.Destroy) })
	return srv.ServerPort(), ch
}

// Every server with every client, both framings: each client prints the
// fortune the server says it sent, three times in a row.
func TestServersAndClients(t *testing.T) {
	clients := map[string]func(t *testing.T, w world, port int, f Framing) (string, error){
		"event": func(t *testing.T, w world, port int, f Framing) (string, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return Fetch(ctx, startLoop(t, "client"), w.host, port, f, w.client...)
		},
		"blocking": func(t *testing.T, w world, port int, f Framing) (string, error) {
			return FetchBlocking(w.host, port, f, 10*time.Second, w.client...)
		},
	}
	for _, f := range []Framing{Qt57, Qt56} {
		for _, threaded := range []bool{false, true} {
			for cname, client := range clients {
				name := f.String() + "/" + cname + "/threaded=" + strconv.FormatBool(threaded)
				t.Run(name, func(t *testing.T) {
					both(t, func(t *testing.T, w world) {
						port, served := serve(t, w, f, threaded)
						for i := range 3 {
							got, err := client(t, w, port, f)
							require.NoError(t, err)
							assert.Equal(t, Fortunes[i], got)
							assert.Equal(t, Fortunes[i], <-served)
						}
					})
				})
			}
		}
	}
}

// A fortune longer than a segment and than the socket's first read arrives
// in pieces; the transaction (qt57) or the byte count (qt56) waits for all.
func TestLongFortune(t *testing.T) {
	long := string(make([]byte, 30000)) + "end"
	for _, f := range []Framing{Qt57, Qt56} {
		t.Run(f.String(), func(t *testing.T) {
			both(t, func(t *testing.T, w world) {
				l := startLoop(t, "server")
				srv, err := Serve(l, w.addr, 0, Config{Framing: f, Fortunes: []string{long}}, w.server...)
				require.NoError(t, err)
				defer func() { _ = l.Invoke(srv.Destroy) }()
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				got, err := Fetch(ctx, startLoop(t, "client"), w.host, srv.ServerPort(), f, w.client...)
				require.NoError(t, err)
				assert.Equal(t, long, got)
			})
		})
	}
}

// Nobody listening: both clients report Qt's error text.
func TestRefused(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		l := startLoop(t, "server")
		srv, err := Serve(l, w.addr, 0, Config{}, w.server...)
		require.NoError(t, err)
		port := srv.ServerPort()
		require.NoError(t, l.Invoke(srv.Destroy))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err = Fetch(ctx, startLoop(t, "client"), w.host, port, Qt57, w.client...)
		assert.ErrorContains(t, err, "Connection refused")
		_, err = FetchBlocking(w.host, port, Qt57, 10*time.Second, w.client...)
		assert.ErrorContains(t, err, "Connection refused")
	})
}

// rawServer listens on w's server host and calls serve with each
// connection on l, the server's loop.
func rawServer(t *testing.T, w world, serve func(l *core.Loop, c *tcp.Socket)) int {
	t.Helper()
	l := startLoop(t, "server")
	var srv *tcp.Server
	require.NoError(t, l.Invoke(func() {
		var err error
		srv, err = tcp.NewServer(append(w.server, socket.WithLoop(l))...)
		require.NoError(t, err)
		_, _ = srv.NewConnection.Connect(func() {
			c := srv.NextPendingConnection()
			_, _ = c.Disconnected.Connect(c.DeleteLater)
			serve(l, c)
		})
		require.NoError(t, srv.Listen(w.addr, 0))
	}))
	t.Cleanup(func() { _ = l.Invoke(srv.Destroy) })
	return srv.ServerPort()
}

// A server that closes without a whole fortune: ErrNoFortune, not a hang.
func TestServerClosesEarly(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		port := rawServer(t, w, func(_ *core.Loop, c *tcp.Socket) {
			_, _ = c.Write([]byte{0, 0, 0, 8, 0, 'H'}) // half a QString
			_ = c.DisconnectFromHost()
		})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := Fetch(ctx, startLoop(t, "client"), w.host, port, Qt57, w.client...)
		assert.ErrorIs(t, err, ErrNoFortune)
		_, err = FetchBlocking(w.host, port, Qt57, 10*time.Second, w.client...)
		assert.ErrorIs(t, err, ErrNoFortune)
	})
}

// A fortune that arrives in pieces, 20 ms apart (one byte of the count,
// then part of the QString's length, then the rest): the qt57 transaction
// rolls back and is retried, the qt56 count waits, and both clients
// print the whole fortune.
func TestFortuneInPieces(t *testing.T) {
	for _, f := range []Framing{Qt57, Qt56} {
		t.Run(f.String(), func(t *testing.T) {
			both(t, func(t *testing.T, w world) {
				frame, err := Frame(f, Fortunes[1])
				require.NoError(t, err)
				cuts := []int{0, 1, 3, 9, len(frame)}
				port := rawServer(t, w, func(l *core.Loop, c *tcp.Socket) {
					var send func(i int)
					send = func(i int) {
						_, _ = c.Write(frame[cuts[i]:cuts[i+1]])
						if i+2 == len(cuts) {
							_ = c.DisconnectFromHost()
							return
						}
						_ = core.SingleShotTo(c.Object, 20*time.Millisecond, func() { send(i + 1) })
					}
					send(0)
				})
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				got, err := Fetch(ctx, startLoop(t, "client"), w.host, port, f, w.client...)
				require.NoError(t, err)
				assert.Equal(t, Fortunes[1], got)
				got, err = FetchBlocking(w.host, port, f, 10*time.Second, w.client...)
				require.NoError(t, err)
				assert.Equal(t, Fortunes[1], got)
			})
		})
	}
}

// The hooks see the server's NewConnection before the fortune is written,
// each accepted socket before it is written to, and the client's socket
// before it connects, so its first StateChanged, and its ReadyRead before
// done.
func TestWatchHooks(t *testing.T) {
	both(t, func(t *testing.T, w world) {
		sl := startLoop(t, "server")
		var srvOrder []string // on sl
		var accepted *tcp.Socket
		cfg := Config{
			WatchServer: func(s *tcp.Server) {
				_, _ = s.NewConnection.Connect(func() { srvOrder = append(srvOrder, "NewConnection") })
			},
			Accepted: func(c *tcp.Socket) { accepted = c; srvOrder = append(srvOrder, "Accepted") },
			Served: func(_ string, c *tcp.Socket) {
				assert.Same(t, accepted, c)
				srvOrder = append(srvOrder, "Served")
			},
		}
		srv, err := Serve(sl, w.addr, 0, cfg, w.server...)
		require.NoError(t, err)
		defer func() { _ = sl.Invoke(srv.Destroy) }()
		cl := startLoop(t, "client")
		var cliOrder []string // on cl
		done := make(chan error, 1)
		require.NoError(t, cl.Invoke(func() {
			_, err := RequestWatched(cl, w.host, srv.ServerPort(), Qt57, func(s *tcp.Socket) {
				_, _ = s.StateChanged.Connect(func(st socket.State) { cliOrder = append(cliOrder, st.String()) })
				_, _ = s.ReadyRead.Connect(func() {
					if cliOrder[len(cliOrder)-1] != "ReadyRead" { // over loopback the fortune may come in pieces
						cliOrder = append(cliOrder, "ReadyRead")
					}
				})
			}, func(f string, err error) {
				cliOrder = append(cliOrder, "done")
				done <- err
			}, w.client...)
			require.NoError(t, err)
		}))
		require.NoError(t, <-done)
		require.NoError(t, cl.Invoke(func() {
			assert.Equal(t, []string{"HostLookupState", "ConnectingState", "ConnectedState", "ReadyRead", "UnconnectedState", "done"}, cliOrder)
		}))
		require.NoError(t, sl.Invoke(func() {
			assert.Equal(t, []string{"NewConnection", "Accepted", "Served"}, srvOrder)
		}))
	})
}
