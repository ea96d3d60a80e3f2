package faultproxy

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startRedis runs Debian's redis-server on a free 127.0.0.1 port with no
// persistence until the test ends, and returns its address once it says it
// is ready. It skips the test when redis-server is missing, except under
// CI=true, where the test fails (.ci/run installs it).
func startRedis(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server is missing (apt-get install redis-server; .ci/run installs it): %v", err)
		}
		t.Skipf("redis-server is missing (apt-get install redis-server): %v", err)
	}
	// A free port is the kernel's choice, released for redis to take; another
	// process may take it first, so a failed start tries another.
	var logs []string
	for range 3 {
		addr, log, ok := tryRedis(t, path)
		if ok {
			return addr
		}
		logs = append(logs, log)
	}
	t.Fatalf("redis-server did not start:\n%s", strings.Join(logs, "\n"))
	return ""
}

// tryRedis starts redis-server once on a free port; ok is false (with its
// log) if it did not get ready.
func tryRedis(t *testing.T, path string) (addr, logText string, ok bool) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr = l.Addr().String()
	require.NoError(t, l.Close())
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(path, "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no",
		"--dir", t.TempDir(), "--daemonize", "no")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	require.NoError(t, cmd.Start())
	ready := make(chan bool, 1)
	var log strings.Builder // read only after the reader ends
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sent := false
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if !sent && strings.Contains(sc.Text(), "Ready to accept connections") {
				ready <- true
				sent = true
			}
		}
		if !sent {
			ready <- false
		}
	}()
	stop := func() {
		_ = cmd.Process.Kill()
		wg.Wait()
		_ = cmd.Wait()
	}
	if !<-ready {
		stop()
		return "", log.String(), false
	}
	t.Cleanup(stop)
	return addr, "", true
}

// resp sends one RESP command and returns the reply's first line (and a
// bulk string's value).
func resp(c net.Conn, r *bufio.Reader, args ...string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(c, b.String()); err != nil {
		return "", err
	}
	line, err := r.ReadString('\n')
	if err != nil {
		return line, err
	}
	if n, ok := strings.CutPrefix(strings.TrimSpace(line), "$"); ok && n != "-1" {
		size, _ := strconv.Atoi(n)
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		return strings.TrimSpace(string(buf)), nil
	}
	return strings.TrimSpace(line), nil
}

// TestRedisThroughFaults: PING, SET and GET against Debian's redis-server
// through the proxy, under latency and random slicing both ways.
func TestRedisThroughFaults(t *testing.T) {
	p := newProxy(t, startRedis(t), WithSeed(3))
	const lat = 10 * time.Millisecond
	for _, dir := range []Direction{Upstream, Downstream} {
		require.NoError(t, p.SetFaults(dir, mem.Faults{Latency: lat, Jitter: 2 * time.Millisecond,
			Segment: mem.Segmentation{Mode: mem.SegmentRandom, Size: 4}}))
	}
	start := time.Now()
	c := dial(t, p)
	r := bufio.NewReader(c)
	value := strings.Repeat("slotnet-", 64)
	for _, step := range []struct{ args, want []string }{
		{[]string{"PING"}, []string{"+PONG"}},
		{[]string{"SET", "k", value}, []string{"+OK"}},
		{[]string{"GET", "k"}, []string{value}},
	} {
		got, err := resp(c, r, step.args...)
		require.NoError(t, err)
		assert.Equal(t, step.want[0], got, step.args[0])
	}
	// Four round trips at least: the handshake and three commands.
	assert.GreaterOrEqual(t, time.Since(start), 8*lat)
	st := p.Counters()
	assert.Greater(t, st.Upstream.Segments, uint64(len(value)/4), "the SET went in slices of at most 4 bytes")
	assert.Greater(t, st.Downstream.Segments, uint64(len(value)/4))
}

// TestRedisResetAfterBytes: a reset after 3 bytes of the server's answer
// reaches the client as "+PO" and then ECONNRESET.
func TestRedisResetAfterBytes(t *testing.T) {
	p := newProxy(t, startRedis(t))
	require.NoError(t, p.SetFaults(Downstream, mem.Faults{ResetAfterBytes: 3}))
	c := dial(t, p)
	r := bufio.NewReader(c)
	got, err := resp(c, r, "PING")
	assert.Equal(t, "+PO", got)
	assert.ErrorIs(t, err, syscall.ECONNRESET)
}
