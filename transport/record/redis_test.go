package record

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startRedis runs Debian's redis-server on 127.0.0.1 with a password and
// no persistence, and returns its address once it says it is ready. It
// skips the test when redis-server is missing, except under CI=true.
func startRedis(t *testing.T, password string) netip.AddrPort {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server is missing (apt-get install redis-server; .ci/run installs it): %v", err)
		}
		t.Skipf("redis-server is missing (apt-get install redis-server): %v", err)
	}
	// A free port: the kernel's choice, released for redis to take.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := netip.MustParseAddrPort(l.Addr().String())
	require.NoError(t, l.Close())

	cmd := exec.Command(path, "--bind", "127.0.0.1", "--port", strconv.Itoa(int(addr.Port())),
		"--requirepass", password, "--save", "", "--appendonly", "no", "--dir", t.TempDir(),
		"--daemonize", "no", "--loglevel", "notice")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	require.NoError(t, cmd.Start())
	ready := make(chan struct{})
	var once sync.Once
	var started bool        // written before ready closes
	var log strings.Builder // read only after the reader ends
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer once.Do(func() { close(ready) })
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "Ready to accept connections") {
				once.Do(func() { started = true; close(ready) })
			}
		}
	}()
	stop := func() {
		_ = cmd.Process.Kill()
		wg.Wait()
		_ = cmd.Wait()
	}
	<-ready
	if !started {
		stop()
		t.Fatalf("redis-server did not start:\n%s", log.String())
	}
	t.Cleanup(stop)
	return addr
}

// redisClient is the code under test: a minimal RESP client that
// authenticates, sets and gets a key, and quits. It returns the replies.
func redisClient(t *testing.T, tr transport.Transport, addr netip.AddrPort, password string) []string {
	c, err := tr.Dial(context.Background(), addr, transport.DialOptions{})
	require.NoError(t, err)
	defer c.Close()
	r := bufio.NewReader(c)
	var seen []string
	for _, cmd := range [][]string{{"AUTH", password}, {"SET", "greeting", "hello"}, {"GET", "greeting"}, {"QUIT"}} {
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", len(cmd))
		for _, a := range cmd {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
		_, err := io.WriteString(c, b.String())
		require.NoError(t, err)
		reply, err := r.ReadString('\n')
		require.NoError(t, err)
		if strings.HasPrefix(reply, "$") {
			value, err := r.ReadString('\n')
			require.NoError(t, err)
			reply += value
		}
		seen = append(seen, cmd[0]+" "+strings.TrimSpace(reply))
	}
	rest, err := io.ReadAll(r)
	seen = append(seen, fmt.Sprintf("then %q %s", rest, readEnd(err)))
	return seen
}

// TestRecordReplayRedis records a RESP client against Debian's
// redis-server, with the password redacted, and replays it in memory
// against the same client given the placeholder instead.
func TestRecordReplayRedis(t *testing.T) {
	const password, placeholder = "hunter2", "XXXXXXX"
	addr := startRedis(t, password)
	rec := New(netsock.New(), WithRedaction(func(e *Event) {
		e.Data = bytesReplace(e.Data, password, placeholder)
	}))
	real := redisClient(t, rec, addr, password)
	require.Equal(t, []string{"AUTH +OK", "SET +OK", "GET $5\r\nhello", "QUIT +OK", `then "" EOF`}, real)
	text, err := rec.Marshal()
	require.NoError(t, err)
	t.Logf("recorded:\n%s", text)
	assert.NotContains(t, string(text), password)
	assert.Contains(t, string(text), "-- conn 1 server fin", "redis closes after QUIT")
	script, err := Parse(text)
	require.NoError(t, err)

	synctest.Test(t, func(t *testing.T) {
		client := newClientHost(t)
		rp := Replay(t, client, script)
		again := New(client)
		replayed := redisClient(t, again, addr, placeholder)
		<-rp.Done()
		assert.NoError(t, rp.Err())
		assert.Equal(t, real, replayed)
		assert.Equal(t, kinds(script), kinds(again.Script()))
	})
}

// TestReplayRedisAnyPassword: the redaction hook turns the AUTH command
// into a pattern, so the script holds no password and the replay accepts
// whatever password the client is given.
func TestReplayRedisAnyPassword(t *testing.T) {
	const password = "hunter2"
	addr := startRedis(t, password)
	auth := "*2\r\n$4\r\nAUTH\r\n"
	rec := New(netsock.New(), WithRedaction(func(e *Event) {
		if e.Side == Client && strings.HasPrefix(string(e.Data), auth) {
			e.Data, e.Regexp = []byte(QuoteRegexp([]byte(auth))+`\$\d+\r\n[^\r]*\r\n`), true
		}
	}))
	real := redisClient(t, rec, addr, password)
	text, err := rec.Marshal()
	require.NoError(t, err)
	t.Logf("recorded:\n%s", text)
	assert.NotContains(t, string(text), password)
	assert.Contains(t, string(text), "-- conn 1 client send +")
	assert.Contains(t, string(text), " regexp --\n\\*2\\r\\n\\$4\\r\\nAUTH\\r\\n\\$\\d+\\r\\n[^\\r]*\\r\\n\n")
	script, err := Parse(text)
	require.NoError(t, err)

	synctest.Test(t, func(t *testing.T) {
		client := newClientHost(t)
		rp := Replay(t, client, script)
		replayed := redisClient(t, client, addr, "a much longer secret")
		<-rp.Done()
		assert.NoError(t, rp.Err())
		assert.Equal(t, real, replayed)
	})
}
