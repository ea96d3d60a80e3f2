package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const want = `[main] start: A lives on main, B on worker
[main] timer fired: tick 1
[main] A got tick 1 (direct, inside Emit)
[main] A got tick 1 by name (producer.tick)
[worker] B got tick 1 (queued)
[main] B finished tick 1
[main] timer fired: tick 2
[main] A got tick 2 (direct, inside Emit)
[main] A got tick 2 by name (producer.tick)
[worker] B got tick 2 (queued)
[main] B finished tick 2
[main] destroying B on its loop
[worker] B destroyed
[main] timer fired: tick 3
[main] A got tick 3 (direct, inside Emit)
[main] A got tick 3 by name (producer.tick)
[main] B's connection died with B: connected=false
main loop returned 0
`

func TestRunTrace(t *testing.T) {
	for range 5 { // the trace is deterministic
		var buf bytes.Buffer
		start := time.Now()
		require.Equal(t, 0, run(&buf))
		assert.Equal(t, want, buf.String())
		assert.Less(t, time.Since(start), 2*time.Second)
	}
}

func TestMainProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program")
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.True(t, strings.HasSuffix(string(out), "main loop returned 0\n"), string(out))
	assert.Contains(t, string(out), "[worker] B destroyed\n")
}
