package qtcompat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slotnet/slotnet/internal/faketb"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeScript writes a plain python script (no Qt needed) into a temp dir.
func writeScript(t *testing.T, src string) string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "s.py")
	require.NoError(t, os.WriteFile(script, []byte(src), 0o600))
	return script
}

// TestTraceKeepsOrderAndArgs: lines come back in the order printed,
// repeats kept, and the arguments reach the script.
func TestTraceKeepsOrderAndArgs(t *testing.T) {
	script := writeScript(t, `import sys
print("# start")
print("b")
print("a")
print("a")
print("args " + " ".join(sys.argv[1:]))
`)
	got := Trace(t, "sys", script, "x", "y z")
	assert.Equal(t, []string{"# start", "b", "a", "a", "args x y z"}, got)
	assert.Equal(t, []string{"b", "a", "a", "args x y z"}, Events(got))
}

// TestTraceSeesOffscreenPlatform: scripts run headless.
func TestTraceSeesOffscreenPlatform(t *testing.T) {
	script := writeScript(t, "import os\nprint(os.environ['QT_QPA_PLATFORM'])\n")
	assert.Equal(t, []string{"offscreen"}, Trace(t, "os", script))
}

// runFake calls fn with a fake TB on its own goroutine and waits for it.
func runFake(t *testing.T, fn func(tb testing.TB)) *faketb.TB {
	f := faketb.New(t)
	f.Run(fn)
	return f
}

// TestTraceFailsWithStderr: a script exiting non-zero fails the test, and
// the message carries what the script wrote to stderr.
func TestTraceFailsWithStderr(t *testing.T) {
	script := writeScript(t, "import sys\nprint('partial')\nsys.stderr.write('boom: no listener\\n')\nsys.exit(3)\n")
	f := runFake(t, func(tb testing.TB) { Trace(tb, "sys", script, "scen") })
	assert.Empty(t, f.SkipReason())
	assert.Contains(t, strings.Join(f.Messages(), "\n"), "boom: no listener")
	assert.Contains(t, strings.Join(f.Messages(), "\n"), "exit status 3")
	assert.Contains(t, strings.Join(f.Messages(), "\n"), "scen")
}

// TestTraceSkipsWithoutModule: a module the interpreter cannot import
// skips with Run's message, without running the script.
func TestTraceSkipsWithoutModule(t *testing.T) {
	t.Setenv("CI", "")
	script := writeScript(t, "raise SystemExit('must not run')\n")
	f := runFake(t, func(tb testing.TB) { Trace(tb, "no_such_module_slotnet", script) })
	assert.Empty(t, strings.Join(f.Messages(), "\n"))
	assert.Contains(t, f.SkipReason(), "real-Qt comparison skipped")
	assert.Contains(t, f.SkipReason(), "no_such_module_slotnet")
	assert.Contains(t, f.SkipReason(), "python3-pyqt5")
}

// TestNeedFailsUnderCI: under CI=true a missing module fails the test
// instead, so that CI proves the comparison ran.
func TestNeedFailsUnderCI(t *testing.T) {
	t.Setenv("CI", "true")
	f := runFake(t, func(tb testing.TB) { Need(tb, "no_such_module_slotnet") })
	assert.Empty(t, f.SkipReason())
	assert.Contains(t, strings.Join(f.Messages(), "\n"), "CI=true")
	assert.Contains(t, strings.Join(f.Messages(), "\n"), "no_such_module_slotnet")
}

// TestTraceEmptyOutput: a script that prints nothing gives no lines.
func TestTraceEmptyOutput(t *testing.T) {
	assert.Empty(t, Trace(t, "sys", writeScript(t, "pass\n")))
}
