package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/spy"
)

var update = flag.Bool("update", false, "rewrite testdata/trace.golden")

// Over the in-memory network the trace is the golden one, on every run.
func TestTraceMem(t *testing.T) {
	if *update {
		var buf bytes.Buffer
		require.Equal(t, 0, run(&buf, "mem"))
		require.NoError(t, os.WriteFile("testdata/trace.golden", buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile("testdata/trace.golden")
	require.NoError(t, err)
	for range 5 {
		var buf bytes.Buffer
		require.Equal(t, 0, run(&buf, "mem"), buf.String())
		if got := buf.String(); got != string(want) {
			t.Fatalf("trace differs from testdata/trace.golden (go test -update rewrites it):\n%s",
				spy.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")))
		}
	}
}

// sideLines returns the lines of the side titled title in a demo's output.
func sideLines(out, title string) []string {
	var lines []string
	in := false
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "== ") {
			in = l == "== "+title
			continue
		}
		if in && l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// Over loopback the ports differ, and so may the order of what the two
// ends do at once, but each side's key signals come in Qt's order.
func TestTraceOS(t *testing.T) {
	var buf bytes.Buffer
	require.Equal(t, 0, run(&buf, "os"), buf.String())
	out := buf.String()
	inOrder := func(title string, want ...string) {
		t.Helper()
		lines := sideLines(out, title)
		i := 0
		for _, l := range lines {
			if i < len(want) && l == want[i] {
				i++
			}
		}
		assert.Equal(t, len(want), i, "%s: want in order %q, got\n%s", title, want, strings.Join(lines, "\n"))
	}
	inOrder("fortune server",
		"[fortune-server-loop] server.NewConnection",
		`[fortune-server-loop] server wrote "A signal emitted in haste is received at leisure."`,
		"[fortune-server-loop] conn.StateChanged ClosingState",
		"[fortune-server-loop] conn.Disconnected")
	inOrder("fortune client",
		"[fortune-client-loop] client.StateChanged HostLookupState",
		"[fortune-client-loop] client.StateChanged ConnectingState",
		"[fortune-client-loop] client.HostFound",
		"[fortune-client-loop] client.StateChanged ConnectedState",
		"[fortune-client-loop] client.Connected",
		"[fortune-client-loop] client.ReadyRead",
		"[fortune-client-loop] client.Disconnected",
		`[fortune-client-loop] client read "A signal emitted in haste is received at leisure."`)
	for _, name := range []string{"alice", "bob"} {
		inOrder("chat client "+name,
			"["+name+"-loop] "+name+".StateChanged ConnectedState",
			"["+name+"-loop] "+name+".Connected",
			"["+name+"-loop] "+name+".ReadyRead",
			"["+name+"-loop] "+name+".Reply Hello! Ask me the time, or say bye.",
			"["+name+"-loop] "+name+".Reply Bye.",
			"["+name+"-loop] "+name+".StateChanged UnconnectedState",
			"["+name+"-loop] "+name+".Disconnected")
	}
	inOrder("chat server",
		"[chat-server-loop] server.NewConnection",
		"[chat-server-loop] alice-conn.ReadyRead",
		"[chat-server-loop] server.NewConnection",
		"[chat-server-loop] bob-conn.ReadyRead",
		"[chat-server-loop] alice-conn.Disconnected",
		"[chat-server-loop] bob-conn.Disconnected")
}

func TestBadTransport(t *testing.T) {
	var buf bytes.Buffer
	assert.Equal(t, 2, run(&buf, "carrier-pigeon"))
	assert.Contains(t, buf.String(), `-transport "carrier-pigeon": want mem or os`)
}

// What `make demo` runs: the command itself, its output the golden trace.
func TestMainProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program")
	}
	want, err := os.ReadFile("testdata/trace.golden")
	require.NoError(t, err)
	cmd := exec.Command("go", "run", ".")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	assert.Equal(t, string(want), string(out))
	assert.Empty(t, stderr.String(), "nothing logged")
}
