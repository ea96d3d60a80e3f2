package transporttest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/internal/qtcompat"
	"github.com/slotnet/slotnet/transport/transporttest"
)

// qtMisuse runs testdata/qt_misuse.py under real Qt 5 and returns its
// "name: value" lines, or skips when PyQt5 is missing.
func qtMisuse(t *testing.T) map[string]string {
	t.Helper()
	return qtcompat.Run(t, "PyQt5.QtNetwork", "testdata/qt_misuse.py")
}

// TestMisuseMatchesQt runs each misuse scenario on the OS transport and on
// the in-memory network and requires the class of its first event (the
// mistake's result) to be the code real Qt 5 reports for it.
func TestMisuseMatchesQt(t *testing.T) {
	qt := qtMisuse(t)
	scenarios := make(map[string]transporttest.Scenario)
	for _, sc := range transporttest.Scenarios() {
		scenarios[sc.Name] = sc
	}
	for qtName, scName := range map[string]string{
		"dial_port_zero":     "DialPortZero",
		"negative_backlog":   "NegativeBacklog",
		"datagram_port_zero": "DatagramPortZero",
	} {
		want, ok := qt[qtName]
		require.True(t, ok, "qt_misuse.py printed no %s", qtName)
		sc, ok := scenarios[scName]
		require.True(t, ok, "no scenario %s", scName)
		for _, env := range []transporttest.Env{osEnv(), memEnv()} {
			t.Run(scName+"/"+env.Name, func(t *testing.T) {
				o := transporttest.RunScenario(t, env, sc)
				require.NotEmpty(t, o.Events)
				fields := strings.Fields(o.Events[0])
				assert.Equal(t, want, fields[len(fields)-1], "event %q; Qt 5 reports %s", o.Events[0], want)
			})
		}
	}
}
