package peer

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// fakeTB records what the package reports instead of failing the test.
// Only the methods the package calls are implemented; the embedded nil
// testing.TB makes any other call panic, which would show a new dependency.
type fakeTB struct {
	testing.TB

	// goexit makes Errorf end the calling goroutine, as FailNow does: the
	// harshest thing a TB can do to the script's goroutine.
	goexit bool

	mu       sync.Mutex // guards errs and cleanups
	errs     []string
	cleanups []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
	f.mu.Unlock()
	if f.goexit {
		runtime.Goexit()
	}
}

func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	f.cleanups = append(f.cleanups, fn)
	f.mu.Unlock()
}

// end runs the cleanups, last first, as the end of a test does.
func (f *fakeTB) end() {
	f.mu.Lock()
	fns := f.cleanups
	f.cleanups = nil
	f.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// messages returns what was reported.
func (f *fakeTB) messages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.errs...)
}

// one returns the single message reported, failing t otherwise.
func (f *fakeTB) one(t *testing.T) string {
	t.Helper()
	msgs := f.messages()
	require.Len(t, msgs, 1, "messages: %q", msgs)
	return msgs[0]
}

var (
	clientAddr = netip.MustParseAddr("10.0.0.1")
	serverAddr = netip.MustParseAddr("10.0.0.2")
)

// memHosts returns a network with a client host and a server host.
func memHosts(t testing.TB) (n *mem.Network, client, server *mem.Host) {
	n = mem.New(mem.WithSeed(1))
	client = n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(clientAddr, 24)}})
	server = n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(serverAddr, 24)}})
	return n, client, server
}

// memListen listens on the server host's port 7.
func memListen(t testing.TB, server *mem.Host) transport.Listener {
	t.Helper()
	ln, err := server.Listen(context.Background(), netip.AddrPortFrom(serverAddr, 7), transport.ListenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

// memDial connects the client host to the server's port 7.
func memDial(t testing.TB, client *mem.Host) net.Conn {
	t.Helper()
	c, err := client.Dial(context.Background(), netip.AddrPortFrom(serverAddr, 7), transport.DialOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// helloClient is code under test: it sends "hello\n" in writes of chunk
// bytes (0: one write), reads the answer line and closes.
func helloClient(c net.Conn, chunk int) (string, error) {
	defer c.Close()
	msg := []byte("hello\n")
	if chunk <= 0 {
		chunk = len(msg)
	}
	for len(msg) > 0 {
		n := min(chunk, len(msg))
		if _, err := c.Write(msg[:n]); err != nil {
			return "", err
		}
		msg = msg[n:]
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return line, err
}

// upperServer is code under test: it answers each line upper-cased until
// the stream ends, then closes.
func upperServer(c net.Conn) error {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil
		}
		if _, err := c.Write([]byte(strings.ToUpper(line))); err != nil {
			return err
		}
	}
}
