package explore_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/mem/explore"
)

// Check and Run fail a *testing.T, which synctest needs and a fake cannot
// stand in for; so each failure mode runs in a child test process, and the
// parent asserts what the child printed.
const childEnv = "EXPLORE_FAILURE_CHILD"

// TestFailureChild is the child's side; it does nothing in a normal run.
func TestFailureChild(t *testing.T) {
	switch os.Getenv(childEnv) {
	case "check":
		explore.Check(t, []byte("\x01"), upperBody(true))
	case "deadlock":
		explore.Run(t, explore.Decode(nil), func(*mem.Network) error {
			select {} // blocks on nothing the network can end
		})
	default:
		t.Skip("runs only as the child of TestCheckFailureMessage and TestRunDeadlock")
	}
}

// child runs TestFailureChild in mode and returns its output; the child
// must fail.
func child(t *testing.T, mode string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFailureChild$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the child passed:\n%s", out)
	return string(out)
}

// A failing Check names the error, the scenario, the input that replays it
// and the trace of what crossed the network.
func TestCheckFailureMessage(t *testing.T) {
	out := child(t, "check")
	assert.Contains(t, out, `explore: request "hello" got answer "WORLD"`)
	assert.Contains(t, out, `input "\x01"`)
	assert.Contains(t, out, "scenario ")
	assert.Contains(t, out, "trace:\n")
	assert.Contains(t, out, "HELLO", "the trace shows the answers")
	assert.Contains(t, out, "--- FAIL: TestFailureChild")
}

// A body that blocks on something other than the network fails the test
// with synctest's deadlock report instead of hanging it.
func TestRunDeadlock(t *testing.T) {
	out := child(t, "deadlock")
	assert.Contains(t, out, "deadlock")
	assert.Contains(t, out, "FAIL")
}
