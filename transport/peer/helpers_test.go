package peer

import (
	"bufio"
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

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
