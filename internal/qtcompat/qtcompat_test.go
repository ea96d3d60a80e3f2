package qtcompat

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// A Process's lines arrive in order as the program prints them; Wait
// returns the rest once it exits.
func TestProcessLines(t *testing.T) {
	script := filepath.Join(t.TempDir(), "p.py")
	src := "import sys\nprint('port: 7', flush=True)\nprint('sent: a')\nprint('sent: b')\n"
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	p := Start(t, "sys", script)
	assert.Equal(t, "7", p.Line("port: "))
	assert.Equal(t, "a", p.Line("sent: "))
	assert.Equal(t, []string{"sent: b"}, p.Wait())
}

// FreeUDPPort returns a port that can be bound on 0.0.0.0 at once.
func TestFreeUDPPort(t *testing.T) {
	port := FreeUDPPort(t)
	require.NotZero(t, port)
	c, err := net.ListenPacket("udp4", net.JoinHostPort("0.0.0.0", strconv.Itoa(port)))
	require.NoError(t, err)
	require.NoError(t, c.Close())
}
