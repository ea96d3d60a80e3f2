package qtcompat

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// qtScenarios is where the QTcpSocket/QTcpServer scenario scripts and
// their recorded traces live (tcp/testdata/qt, README.md there).
const qtScenarios = "../../tcp/testdata/qt/"

// TestTraceMatchesGolden runs scenario scripts under real Qt 5 and
// requires the recorded golden trace, line for line, markers included: a
// drifting Qt (or a broken script) shows here first.
func TestTraceMatchesGolden(t *testing.T) {
	for _, name := range []string{"constructing", "connectionRefused", "listenWhileListening"} {
		t.Run(name, func(t *testing.T) {
			golden, err := os.ReadFile(qtScenarios + "golden/" + name + ".txt")
			require.NoError(t, err)
			want := strings.Split(strings.TrimSuffix(string(golden), "\n"), "\n")
			got := Trace(t, "PyQt5.QtNetwork", qtScenarios+name+".py")
			assert.Equal(t, want, got)
		})
	}
}
