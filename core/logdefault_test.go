package core

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/signal"
)

// childEnv names what the test binary does when it is re-run as a child
// process by a test that captures its standard error.
const childEnv = "SLOTNET_CORE_CHILD"

// runChild re-runs this test binary with only test name selected and
// childEnv set to what, and returns the child's standard error.
func runChild(t *testing.T, name, what string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+what)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "child stdout:\n%s\nstderr:\n%s", out, stderr.String())
	return stderr.String()
}

func childPanics(opts ...LoopOption) {
	l := NewLoop(append([]LoopOption{WithName("loud")}, opts...)...)
	defer l.Close()
	_ = l.Post(panicky)
	l.ProcessEvents()
}

func TestDefaultLoggerShowsPanicOnStderr(t *testing.T) {
	switch os.Getenv(childEnv) {
	case "default":
		childPanics()
		return
	case "nop":
		childPanics(WithLogger(zap.NewNop()))
		return
	case "nil":
		childPanics(WithLogger(nil))
		return
	}
	for _, what := range []string{"default", "nil"} {
		got := runChild(t, t.Name(), what)
		assert.Contains(t, got, "ERROR", what)
		assert.Contains(t, got, "panic recovered in loop event", what)
		assert.Contains(t, got, `"panic": "boom"`, what)
		assert.Contains(t, got, "\ngithub.com/slotnet/slotnet/core.panicky\n", "%s: one frame a line", what)
		assert.Contains(t, got, "core.panicky", "%s: the stack shows where it panicked", what)
	}
	assert.NotContains(t, runChild(t, t.Name(), "nop"), "boom", "zap.NewNop() silences it")
}

func TestDefaultLoggerShowsBusMismatchOnStderr(t *testing.T) {
	if os.Getenv(childEnv) == "bus" {
		b := NewBus(nil)
		var in signal.Signal[int]
		_, _ = SubscribeTo(b, "t", &in)
		b.EventBus().Publish("t", "seven")
		return
	}
	got := runChild(t, t.Name(), "bus")
	assert.Contains(t, got, "ERROR")
	assert.Contains(t, got, `event (string) does not fit signal (int)`)
}
