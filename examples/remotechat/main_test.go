package main

import (
	"bufio"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// proc is one running remotechat process.
type proc struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan string
}

func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	in, err := cmd.StdinPipe()
	require.NoError(t, err)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &proc{cmd: cmd, in: in, lines: make(chan string, 100)}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return p
}

// expect reads the process's next lines, which must be want, in order.
func (p *proc) expect(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		select {
		case got, ok := <-p.lines:
			require.True(t, ok, "process ended before %q", w)
			require.Equal(t, w, got)
		case <-time.After(20 * time.Second): // a safety net only
			t.Fatalf("no line %q after 20s", w)
		}
	}
}

func (p *proc) say(t *testing.T, line string) {
	t.Helper()
	_, err := io.WriteString(p.in, line+"\n")
	require.NoError(t, err)
}

// stop ends the process's input and waits for a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, p.in.Close())
	for range p.lines {
	}
	require.NoError(t, p.cmd.Wait())
}

// TestThreeProcesses runs a room and two users as separate processes
// through the room's NATS server on a loopback port.
func TestThreeProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three processes")
	}
	bin := filepath.Join(t.TempDir(), "remotechat")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))

	room := start(t, bin, "room", "-listen", "127.0.0.1:0")
	first := <-room.lines
	url, ok := strings.CutPrefix(first, "room on ")
	require.True(t, ok, first)

	alice := start(t, bin, "user", "-nats", url, "-name", "alice")
	alice.expect(t, "[alice] topic: welcome", "[alice] joined")
	bob := start(t, bin, "user", "-nats", url, "-name", "bob")
	bob.expect(t, "[bob] topic: welcome", "[bob] joined")

	alice.say(t, "hello")
	alice.expect(t, "[alice] alice: hello")
	bob.expect(t, "[bob] alice: hello")
	bob.say(t, "/topic slots")
	bob.expect(t, "[bob] topic: slots")
	alice.expect(t, "[alice] topic: slots")
	bob.say(t, "")
	bob.expect(t, "[bob] error: remote: slot post failed (400): empty message")
	bob.say(t, "bye")
	alice.expect(t, "[alice] bob: bye")
	bob.expect(t, "[bob] bob: bye")

	alice.stop(t)
	bob.stop(t)
	room.stop(t)
}
