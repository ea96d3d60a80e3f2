package qtcompat

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// LineTimeout bounds each wait for a line of a Process: a safety net, not
// a pace (lines arrive as the program prints them).
const LineTimeout = 20 * time.Second

// Need skips t, saying why, when the interpreter cannot import module
// (e.g. "PyQt5.QtNetwork"). Under CI=true it fails t instead, so that CI
// proves the comparison with real Qt ran (.ci/run installs PyQt5).
func Need(t testing.TB, module string) {
	t.Helper()
	py := Python()
	err := exec.Command(py, "-c", "import "+module).Run()
	if err == nil {
		return
	}
	const why = "%s cannot import %s (%v); install it with apt-get install python3-pyqt5 (.ci/run does)"
	if os.Getenv("CI") == "true" {
		t.Fatalf("real-Qt comparison cannot run under CI=true: "+why, py, module, err)
	}
	t.Skipf("real-Qt comparison skipped: "+why, py, module, err)
}

// Process is a PyQt5 program a test talks to while it runs: the test
// reads the program's stdout line by line (Line), each line an event the
// program reports as it happens, so the test waits on events, not time.
type Process struct {
	t      testing.TB
	script string
	lines  chan string
	done   chan struct{} // closed once the program exited and was waited for
	err    error         // the program's exit, valid once done is closed
	mu     sync.Mutex
	stderr bytes.Buffer
}

// Start starts script with args under real Qt 5 (offscreen platform). It
// calls Need(t, module) first. The program is killed, if still running,
// and waited for when t ends.
func Start(t testing.TB, module, script string, args ...string) *Process {
	t.Helper()
	Need(t, module)
	return start(t, script, append([]string{Python(), script}, args...))
}

// StartIn is Start with the program run in network namespace netns
// (ip netns exec; root only), for a test that keeps its datagrams in a
// namespace of its own.
func StartIn(t testing.TB, netns, module, script string, args ...string) *Process {
	t.Helper()
	Need(t, module)
	return start(t, script, append([]string{"ip", "netns", "exec", netns, Python(), script}, args...))
}

// StartCommand starts another program a test talks to the same way (e.g.
// the Go side of an interop test run inside a network namespace); name
// stands for it in failure messages.
func StartCommand(t testing.TB, name string, argv ...string) *Process {
	t.Helper()
	return start(t, name, argv)
}

func start(t testing.TB, script string, argv []string) *Process {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = Env()
	p := &Process{t: t, script: script, lines: make(chan string, 64), done: make(chan struct{})}
	cmd.Stderr = writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.stderr.Write(b)
	})
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatalf("%s: %v", script, err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("%s: %v", script, err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cancel()
		for range p.lines { // drain, so the reader can reach Wait
		}
		<-p.done
	})
	return p
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// Stderr returns what the program wrote to stderr so far.
func (p *Process) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// Line waits for the program's next stdout line and returns what follows
// prefix in it. It fails the test, with the program's stderr, when the line
// has another prefix, when the program ends first, or after LineTimeout.
func (p *Process) Line(prefix string) string {
	p.t.Helper()
	select {
	case line, ok := <-p.lines:
		if !ok {
			<-p.done
			p.t.Fatalf("%s ended (%v) before printing %q…\nstderr: %s", p.script, p.err, prefix, p.Stderr())
		}
		rest, found := strings.CutPrefix(line, prefix)
		if !found {
			p.t.Fatalf("%s printed %q, want %q…\nstderr: %s", p.script, line, prefix, p.Stderr())
		}
		return rest
	case <-time.After(LineTimeout):
		p.t.Fatalf("%s printed no %q… within %v\nstderr: %s", p.script, prefix, LineTimeout, p.Stderr())
	}
	return ""
}

// Wait waits for the program to exit, reading what it still prints, and
// returns those lines. It fails the test when the program exits non-zero
// or takes longer than LineTimeout.
func (p *Process) Wait() []string {
	p.t.Helper()
	var rest []string
	timeout := time.After(LineTimeout)
	for {
		select {
		case line, ok := <-p.lines:
			if ok {
				rest = append(rest, line)
				continue
			}
			<-p.done
			if p.err != nil {
				p.t.Fatalf("%s: %v (printed %q)\nstderr: %s", p.script, p.err, rest, p.Stderr())
			}
			return rest
		case <-timeout:
			p.t.Fatalf("%s did not exit within %v (printed %q)\nstderr: %s", p.script, LineTimeout, rest, p.Stderr())
		}
	}
}

// FreeUDPPort returns a UDP port that nothing bound on 0.0.0.0 holds right
// now, for a test that must tell a Qt program and a Go program one port
// before either binds. Another process may take it in between; on a test
// machine that is rare, and the bind then fails loudly.
func FreeUDPPort(t testing.TB) int {
	t.Helper()
	c, err := net.ListenPacket("udp4", "0.0.0.0:0")
	if err != nil {
		t.Fatalf("finding a free UDP port: %v", err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}
