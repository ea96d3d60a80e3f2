package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/examples/internal/fortune"
	"github.com/slotnet/slotnet/transport"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// server serves the fortunes in turn over loopback until the test ends.
func server(t *testing.T, f fortune.Framing) int {
	t.Helper()
	l := core.NewLoop(core.WithName("server"))
	require.NoError(t, l.Start())
	t.Cleanup(func() { _ = l.Close() })
	next := 0
	srv, err := fortune.Serve(l, transport.MustParseHostAddress("127.0.0.1"), 0,
		fortune.Config{Framing: f, Pick: func(int) int { next++; return next - 1 }})
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Invoke(srv.Destroy) })
	return srv.ServerPort()
}

// The client prints the fortunes the server sends, in either framing.
func TestRun(t *testing.T) {
	for _, f := range []fortune.Framing{fortune.Qt57, fortune.Qt56} {
		t.Run(f.String(), func(t *testing.T) {
			port := server(t, f)
			var out, errs bytes.Buffer
			code := run(context.Background(), []string{"-port", strconv.Itoa(port), "-framing", f.String(), "-count", "3"}, &out, &errs)
			require.Equal(t, 0, code, errs.String())
			assert.Equal(t, strings.Join(fortune.Fortunes[:3], "\n")+"\n", out.String())
		})
	}
}

// A refused connection is Qt's error text on stderr and exit code 1.
func TestRefused(t *testing.T) {
	port := server(t, fortune.Qt57)
	var out, errs bytes.Buffer
	// 127.0.0.2 is loopback too, and nothing listens there
	code := run(context.Background(), []string{"-host", "127.0.0.2", "-port", strconv.Itoa(port), "-timeout", "5s"}, &out, &errs)
	assert.Equal(t, 1, code)
	assert.Empty(t, out.String())
	assert.Contains(t, errs.String(), "fortuneclient: fortune: Connection refused")
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{}, {"-port", "70000"}, {"-port", "1", "-framing", "qt6"}} {
		assert.Equal(t, 2, run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}), args)
	}
}

// The real program, built by go run.
func TestMainProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program")
	}
	port := server(t, fortune.Qt56)
	cmd := exec.Command("go", "run", ".", "-port", strconv.Itoa(port), "-framing", "qt56")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.Equal(t, fortune.Fortunes[0]+"\n", string(out))
}
