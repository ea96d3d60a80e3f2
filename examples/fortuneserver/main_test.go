package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/examples/internal/fortune"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var running = regexp.MustCompile(`^The server is running on 127\.0\.0\.1 port (\d+) \(framing (qt5[67])\)$`)

// lines reads the program's output line by line.
func lines(t *testing.T, r io.Reader) <-chan string {
	ch := make(chan string, 16)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

func next(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-ch:
		require.True(t, ok, "the output ended")
		return l
	case <-time.After(60 * time.Second):
		t.Fatal("no output after 60s")
		return ""
	}
}

// The server prints its port, serves -n fortunes in either framing to a
// client that reads them, says what it sent, and exits 0.
func TestRun(t *testing.T) {
	for _, f := range []fortune.Framing{fortune.Qt57, fortune.Qt56} {
		t.Run(f.String(), func(t *testing.T) {
			pr, pw := io.Pipe()
			out := lines(t, pr)
			code := make(chan int, 1)
			go func() {
				code <- run(context.Background(), []string{"-port", "0", "-n", "2", "-framing", f.String()}, pw, os.Stderr)
				_ = pw.Close()
			}()
			m := running.FindStringSubmatch(next(t, out))
			require.NotNil(t, m)
			assert.Equal(t, f.String(), m[2])
			port, _ := strconv.Atoi(m[1])
			l := core.NewLoop()
			require.NoError(t, l.Start())
			defer l.Close()
			for range 2 {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				got, err := fortune.Fetch(ctx, l, "127.0.0.1", port, f)
				cancel()
				require.NoError(t, err)
				assert.Contains(t, fortune.Fortunes, got)
				assert.Regexp(t, `^sent ".+" to 127\.0\.0\.1:\d+$`, next(t, out))
			}
			assert.Equal(t, 0, <-code)
		})
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-framing", "qt6"}, {"-address", "nowhere"}, {"-port", "70000"}} {
		assert.NotEqual(t, 0, run(context.Background(), args, io.Discard, io.Discard), args)
	}
}

// Interrupted, the server stops and exits 0.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	out := lines(t, pr)
	code := make(chan int, 1)
	go func() { code <- run(ctx, nil, pw, os.Stderr); _ = pw.Close() }()
	require.Regexp(t, running, next(t, out))
	cancel()
	assert.Equal(t, 0, <-code)
}

// The real program, built by go run.
func TestMainProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program")
	}
	cmd := exec.Command("go", "run", ".", "-n", "1")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	out := lines(t, stdout)
	m := running.FindStringSubmatch(next(t, out))
	require.NotNil(t, m, "the first line")
	port, _ := strconv.Atoi(m[1])
	got, err := fortune.FetchBlocking("127.0.0.1", port, fortune.Qt57, 10*time.Second)
	require.NoError(t, err)
	assert.Contains(t, fortune.Fortunes, got)
	assert.Regexp(t, `^sent ".+" to 127\.0\.0\.1:\d+$`, next(t, out))
	require.NoError(t, cmd.Wait())
}
