package transporttest_test

import (
	"testing"

	"github.com/slotnet/slotnet/transport/transporttest"
)

// TestDifferentialOSvsMem requires the OS transport on loopback and the
// in-memory network to report the same outcome for every built-in
// scenario.
func TestDifferentialOSvsMem(t *testing.T) {
	transporttest.Differential(t, transporttest.Scenarios(), osEnv(), memEnv())
}
