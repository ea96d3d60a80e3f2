package qtcompat

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

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

// fakeTB records how a helper ended the test: Fatalf and Skipf stop the
// goroutine as the real ones do.
type fakeTB struct {
	testing.TB
	failed, skipped string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// runFake calls fn with a fakeTB on its own goroutine and waits for it.
func runFake(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

// TestTraceFailsWithStderr: a script exiting non-zero fails the test, and
// the message carries what the script wrote to stderr.
func TestTraceFailsWithStderr(t *testing.T) {
	script := writeScript(t, "import sys\nprint('partial')\nsys.stderr.write('boom: no listener\\n')\nsys.exit(3)\n")
	f := runFake(t, func(tb testing.TB) { Trace(tb, "sys", script, "scen") })
	assert.Empty(t, f.skipped)
	assert.Contains(t, f.failed, "boom: no listener")
	assert.Contains(t, f.failed, "exit status 3")
	assert.Contains(t, f.failed, "scen")
}

// TestTraceSkipsWithoutModule: a module the interpreter cannot import
// skips with Run's message, without running the script.
func TestTraceSkipsWithoutModule(t *testing.T) {
	t.Setenv("CI", "")
	script := writeScript(t, "raise SystemExit('must not run')\n")
	f := runFake(t, func(tb testing.TB) { Trace(tb, "no_such_module_slotnet", script) })
	assert.Empty(t, f.failed)
	assert.Contains(t, f.skipped, "real-Qt comparison skipped")
	assert.Contains(t, f.skipped, "no_such_module_slotnet")
	assert.Contains(t, f.skipped, "python3-pyqt5")
}

// TestNeedFailsUnderCI: under CI=true a missing module fails the test
// instead, so that CI proves the comparison ran.
func TestNeedFailsUnderCI(t *testing.T) {
	t.Setenv("CI", "true")
	f := runFake(t, func(tb testing.TB) { Need(tb, "no_such_module_slotnet") })
	assert.Empty(t, f.skipped)
	assert.Contains(t, f.failed, "CI=true")
	assert.Contains(t, f.failed, "no_such_module_slotnet")
}

// TestTraceEmptyOutput: a script that prints nothing gives no lines.
func TestTraceEmptyOutput(t *testing.T) {
	assert.Empty(t, Trace(t, "sys", writeScript(t, "pass\n")))
}
