package qtcompat

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRunParsesLines runs a plain python script (no Qt needed: the module
// checked is "sys") and reads its "name: value" lines.
func TestRunParsesLines(t *testing.T) {
	script := filepath.Join(t.TempDir(), "s.py")
	if err := os.WriteFile(script, []byte("print('a: 1')\nprint('b: two words')\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := Run(t, "sys", script)
	assert.Equal(t, map[string]string{"a": "1", "b": "two words"}, got)
}
