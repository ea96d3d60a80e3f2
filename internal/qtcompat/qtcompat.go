// Package qtcompat runs the scripts with which slotnet's tests ask real
// Qt 5 (through PyQt5) how it behaves, so that a test can compare.
package qtcompat

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
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

// Run runs script (a path relative to the test's package) under real Qt 5
// with the offscreen platform and returns its "name: value" lines as a
// map. It skips t, saying why, when the interpreter cannot import module
// (e.g. "PyQt5.QtCore"), and fails t when the script fails or prints
// another kind of line.
func Run(t testing.TB, module, script string) map[string]string {
	t.Helper()
	py := Python()
	if err := exec.Command(py, "-c", "import "+module).Run(); err != nil {
		t.Skipf("real-Qt comparison skipped: %s cannot import %s (%v); "+
			"install it with apt-get install python3-pyqt5 (.ci/run does)", py, module, err)
	}
	cmd := exec.Command(py, script)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s failed: %v\n%s", script, err, stderr.String())
	}
	got := make(map[string]string)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			t.Fatalf("%s printed %q, want \"name: value\"", script, sc.Text())
		}
		got[name] = value
	}
	return got
}
