// Package qtcompat runs the scripts with which slotnet's tests ask real
// Qt 5 (through PyQt5) how it behaves, so that a test can compare.
package qtcompat

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Python is the interpreter that sees PyQt5. Debian's python3-pyqt5 is
// installed for /usr/bin/python3; a pyenv python3 earlier on PATH does not
// see it. SLOTNET_QT_PYTHON overrides.
func Python() string {
	if p := os.Getenv("SLOTNET_QT_PYTHON"); p != "" {
		return p
	}
	return "/usr/bin/python3"
}

// Dir is this package's source directory, which holds qttrace.py, the
// Python helper the trace scripts share.
func Dir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "."
	}
	return filepath.Dir(file)
}

// Env is the environment a script runs in: this process's, with
// QT_QPA_PLATFORM=offscreen (Qt headless) and Dir first on PYTHONPATH (so
// that a script can import qttrace).
func Env() []string {
	path := Dir()
	if old := os.Getenv("PYTHONPATH"); old != "" {
		path += string(filepath.ListSeparator) + old
	}
	return append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "PYTHONPATH="+path)
}

// Run runs script (a path relative to the test's package) under real Qt 5
// with the offscreen platform and returns its "name: value" lines as a
// map. It skips t, saying why, when the interpreter cannot import module
// (e.g. "PyQt5.QtCore") — under CI=true it fails t instead (see Need) —
// and fails t when the script fails or prints another kind of line.
func Run(t testing.TB, module, script string) map[string]string {
	t.Helper()
	got := make(map[string]string)
	for _, line := range output(t, module, script) {
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("%s printed %q, want \"name: value\"", script, line)
		}
		got[name] = value
	}
	return got
}

// Trace runs script with args under real Qt 5, like Run, and returns its
// stdout lines in order: a trace of events, one per line, to compare with
// what slotnet does (see Events). It skips t when the interpreter cannot
// import module and fails t, with the script's stderr, when the script
// exits non-zero.
func Trace(t testing.TB, module, script string, args ...string) []string {
	t.Helper()
	return output(t, module, script, args...)
}

// Events drops the lines of a trace that are for the reader only: empty
// lines and "#" comments (the step markers of the scenario scripts).
func Events(lines []string) []string {
	events := make([]string, 0, len(lines))
	for _, line := range lines {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		events = append(events, line)
	}
	return events
}

// output runs script and returns its stdout split into lines.
func output(t testing.TB, module, script string, args ...string) []string {
	t.Helper()
	Need(t, module)
	py := Python()
	cmd := exec.Command(py, append([]string{script}, args...)...)
	cmd.Env = Env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s failed: %v\n%s", script, strings.Join(args, " "), err, stderr.String())
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: reading its output: %v", script, err)
	}
	return lines
}
