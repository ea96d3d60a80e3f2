package faultproxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// upperServer serves the upper-case line protocol on loopback (each line
// comes back upper-cased) until the test ends, and returns its address.
func upperServer(t testing.TB) string {
	t.Helper()
	return serve(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if _, err := io.WriteString(c, strings.ToUpper(line)); err != nil {
				return
			}
		}
	})
}

// serve runs handle for every connection to a loopback listener, joined
// at cleanup.
func serve(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); defer c.Close(); handle(c) }()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// newProxy returns a proxy to upstream, closed at cleanup.
func newProxy(t testing.TB, upstream string, opts ...Option) *Proxy {
	t.Helper()
	p, err := New("127.0.0.1:0", upstream, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Close()) })
	return p
}

// dial connects to the proxy, closed at cleanup.
func dial(t testing.TB, p *Proxy) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// exchange sends line and returns the answer line.
func exchange(t testing.TB, c net.Conn, r *bufio.Reader, line string) string {
	t.Helper()
	_, err := io.WriteString(c, line)
	require.NoError(t, err)
	got, err := r.ReadString('\n')
	require.NoError(t, err)
	return got
}
