package chat_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/chat"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Several clients at once; each gets its answers; the server logs each
// connect and disconnect with the peer's address and port.
func run(t *testing.T, srvT, cliT transport.Transport, srvAddr, cliAddr netip.Addr) {
	sl := core.NewLoop(core.WithName("server"))
	require.NoError(t, sl.Start())
	defer sl.Close()
	cl := core.NewLoop(core.WithName("clients"))
	require.NoError(t, cl.Start())
	defer cl.Close()

	var log syncBuf
	var srv *chat.Server
	require.NoError(t, sl.Invoke(func() {
		var err error
		srv, err = chat.NewServer(sl, nil, &log, socket.WithTransport(srvT))
		require.NoError(t, err)
		require.NoError(t, srv.Listen(transport.HostAddressFrom(srvAddr), 0))
	}))
	defer func() { _ = sl.Invoke(srv.Close) }()

	const n = 3
	got := make([]chan string, n)
	var clients []*chat.Client
	require.NoError(t, cl.Invoke(func() {
		for i := range n {
			got[i] = make(chan string, 8)
			c, err := chat.NewClient(cl, socket.WithTransport(cliT))
			require.NoError(t, err)
			ch := got[i]
			_, _ = c.Reply.Connect(func(s string) { ch <- s })
			require.NoError(t, c.Connect(srvAddr.String(), srv.Port()))
			require.NoError(t, c.Send("hello"))
			require.NoError(t, c.Send(fmt.Sprintf("I am client %d", i)))
			clients = append(clients, c)
		}
	}))
	for i := range n {
		for _, want := range []string{"Hello! Ask me the time, or say bye.", fmt.Sprintf("You said: I am client %d", i)} {
			select {
			case r := <-got[i]:
				assert.Equal(t, want, r)
			case <-time.After(10 * time.Second):
				t.Fatalf("client %d: no answer", i)
			}
		}
	}
	var ports []string
	require.NoError(t, cl.Invoke(func() {
		for _, c := range clients {
			ports = append(ports, fmt.Sprint(c.Socket().LocalPort()))
			c.Close()
		}
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, srv.Object().WaitUntil(ctx, func() bool { return srv.Clients() == 0 }))
	out := log.String()
	for _, p := range ports {
		assert.Contains(t, out, "connect "+cliAddr.String()+":"+p+"\n")
		assert.Contains(t, out, "disconnect "+cliAddr.String()+":"+p+"\n")
	}
	assert.Equal(t, n, strings.Count(out, "\nconnect ")+boolInt(strings.HasPrefix(out, "connect ")))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestChatOverMem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(3))
		s := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		c := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		run(t, s, c, netip.MustParseAddr("10.0.0.2"), netip.MustParseAddr("10.0.0.1"))
	})
}

func TestChatOverLoopback(t *testing.T) {
	o := netsock.New()
	run(t, o, o, netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.1"))
}

func TestLocalResponder(t *testing.T) {
	from := netip.MustParseAddrPort("127.0.0.1:1")
	assert.Equal(t, "Bye.", chat.Local.Respond(from, "BYE"))
	assert.Equal(t, "Say something.", chat.Local.Respond(from, "  "))
	assert.True(t, strings.HasPrefix(chat.Local.Respond(from, "what time is it?"), "It is "))
}

// The hooks see the server's and the sockets' signals before the chat's
// own slots: NewConnection before the connect log line, a server socket's
// ReadyRead before the reply is written, the client's ReadyRead before
// its Reply.
func TestWatchHooks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(3))
		sh := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		ch := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		l := core.NewLoop()
		require.NoError(t, l.Start())
		defer l.Close()
		var order []string // appended on l only
		logw := writerFunc(func(p []byte) { order = append(order, "log "+strings.Fields(string(p))[0]) })
		var srv *chat.Server
		var c *chat.Client
		replied := make(chan struct{})
		require.NoError(t, l.Invoke(func() {
			var err error
			srv, err = chat.NewServerWatched(l, nil, logw, func(s *tcp.Server) {
				_, _ = s.NewConnection.Connect(func() { order = append(order, "server.NewConnection") })
			}, socket.WithTransport(sh))
			require.NoError(t, err)
			srv.Accepted = func(s *tcp.Socket) {
				_, _ = s.ReadyRead.Connect(func() { order = append(order, "conn.ReadyRead") })
			}
			require.NoError(t, srv.Listen(transport.MustParseHostAddress("10.0.0.2"), 0))
			c, err = chat.NewClientWatched(l, func(s *tcp.Socket) {
				_, _ = s.ReadyRead.Connect(func() { order = append(order, "client.ReadyRead") })
			}, socket.WithTransport(ch))
			require.NoError(t, err)
			_, _ = c.Reply.Connect(func(string) { order = append(order, "client.Reply"); close(replied) })
			require.NoError(t, c.Connect("10.0.0.2", srv.Port()))
			require.NoError(t, c.Send("hi"))
		}))
		<-replied
		synctest.Wait()
		require.NoError(t, l.Invoke(func() { c.Close(); srv.Close() }))
		assert.Equal(t, []string{"server.NewConnection", "log connect", "conn.ReadyRead", "client.ReadyRead", "client.Reply"}, order)
	})
}

type writerFunc func(p []byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }
