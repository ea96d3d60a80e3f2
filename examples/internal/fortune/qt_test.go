package fortune

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/internal/qtcompat"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// The PyQt5 programs written for these tests.
const (
	qtServer = "../../testdata/qt/fortune_server.py"
	qtClient = "../../testdata/qt/fortune_client.py"
)

// qtFortuneServer starts the Qt fortune server, serving count connections
// framed as f, and returns its port and its "sent: " lines. It skips t when
// PyQt5 is missing.
func qtFortuneServer(t *testing.T, f Framing, count int) (port int, sent <-chan string) {
	t.Helper()
	py := qtcompat.Python()
	if err := exec.Command(py, "-c", "import PyQt5.QtNetwork").Run(); err != nil {
		t.Skipf("interop with real Qt skipped: %s cannot import PyQt5.QtNetwork (%v); "+
			"install it with apt-get install python3-pyqt5 (.ci/run does)", py, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	cmd := exec.CommandContext(ctx, py, qtServer, f.String(), strconv.Itoa(count))
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan string, 16)
	exited := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cancel() // bounded: the server exits by itself once done
		<-exited
	})
	first, ok := <-lines
	require.True(t, ok, "the Qt server printed nothing")
	p, ok := strings.CutPrefix(first, "port: ")
	require.True(t, ok, "the Qt server printed %q", first)
	port, err = strconv.Atoi(p)
	require.NoError(t, err)
	ch := make(chan string, count)
	go func() {
		for l := range lines {
			if s, ok := strings.CutPrefix(l, "sent: "); ok {
				ch <- s
			}
		}
		close(ch)
	}()
	return port, ch
}

// Go's clients, event-driven and blocking, read every fortune the Qt
// server sends (an empty one and one with surrogate pairs among them), in
// both framings.
func TestGoClientsQtServer(t *testing.T) {
	for _, f := range []Framing{Qt57, Qt56} {
		t.Run(f.String(), func(t *testing.T) {
			port, sent := qtFortuneServer(t, f, 4)
			l := startLoop(t, "client")
			for i := range 4 {
				var got string
				var err error
				if i%2 == 0 {
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					got, err = Fetch(ctx, l, "127.0.0.1", port, f)
					cancel()
				} else {
					got, err = FetchBlocking("127.0.0.1", port, f, 10*time.Second)
				}
				require.NoError(t, err)
				select {
				case want := <-sent:
					assert.Equal(t, want, got)
				case <-time.After(10 * time.Second):
					t.Fatal("the Qt server did not say what it sent")
				}
			}
		})
	}
}

// The Qt client reads the fortunes Go's servers, plain and threaded, send
// (one of them with non-ASCII text), in both framings.
func TestQtClientGoServers(t *testing.T) {
	fortunes := []string{"Go wrote this one.", "Grüße aus Go, 🥠 included."}
	for _, f := range []Framing{Qt57, Qt56} {
		for _, threaded := range []bool{false, true} {
			t.Run(f.String()+"/threaded="+strconv.FormatBool(threaded), func(t *testing.T) {
				l := startLoop(t, "server")
				sent := make(chan string, len(fortunes))
				var next atomic.Int32 // a threaded server picks on its worker loops
				cfg := Config{Framing: f, Fortunes: fortunes, Pick: func(int) int { return int(next.Add(1) - 1) },
					Served: func(s string, _ *tcp.Socket) { sent <- s }}
				addr := transport.MustParseHostAddress("127.0.0.1")
				var srv *tcp.Server
				var err error
				if threaded {
					srv, err = ServeThreaded(l, []*core.Loop{startLoop(t, "w1"), startLoop(t, "w2")}, addr, 0, cfg)
				} else {
					srv, err = Serve(l, addr, 0, cfg)
				}
				require.NoError(t, err)
				defer func() { _ = l.Invoke(srv.Destroy) }()
				for range fortunes {
					out := qtcompat.Trace(t, "PyQt5.QtNetwork", qtClient, "127.0.0.1", strconv.Itoa(srv.ServerPort()), f.String())
					assert.Equal(t, []string{"fortune: " + <-sent}, out)
				}
			})
		}
	}
}
