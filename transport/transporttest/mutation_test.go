package transporttest_test

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/transporttest"
)

// mutantEnvVar selects the mutant a re-executed test binary runs the suite on.
const mutantEnvVar = "SLOTNET_TRANSPORTTEST_MUTANT"

// A mutant child runs under childTimeout (go test's -timeout) and each of
// its checks under childWatchdog, which is shorter: a mutant that freezes a
// bubble is named by the suite's watchdog, not lost in go test's timeout
// dump.
const (
	childTimeout  = 2 * time.Minute
	childWatchdog = 20 * time.Second
)

// childArgs are the arguments that re-execute this test binary to run the
// one test named.
func childArgs(test string) []string {
	return []string{"-test.run=^" + test + "$", "-test.count=1", "-test.timeout=" + childTimeout.String()}
}

// TestMutants shows the suite catches each broken variant of a real
// transport: it re-executes this test binary to run TestMutantChild on the
// mutant (a failing suite must not fail this test), and requires the child
// to fail, cleanly (no panic, no deadlock), in the check named for the
// mutant.
func TestMutants(t *testing.T) {
	if os.Getenv(mutantEnvVar) != "" {
		t.Skip("inside a mutant child")
	}
	for _, m := range mutants {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], childArgs("TestMutantChild")...)
			cmd.Env = append(os.Environ(), mutantEnvVar+"="+m.name)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "the suite passed on mutant %s:\n%s", m.name, out)
			want := "--- FAIL: TestMutantChild/" + m.caughtBy + " "
			assert.Contains(t, string(out), want, "mutant %s must be caught by %s", m.name, m.caughtBy)
			assert.NotContains(t, string(out), "panic:", "the suite must fail cleanly on %s", m.name)
			if t.Failed() {
				t.Logf("child output:\n%s", out)
			}
		})
	}
}

// TestMutantChild runs the whole suite on the mutant named by the
// environment variable; it is skipped in a normal run.
func TestMutantChild(t *testing.T) {
	name := os.Getenv(mutantEnvVar)
	if name == "" {
		t.Skip("runs only when TestMutants re-executes the test binary")
	}
	m, ok := mutantNamed(name)
	require.True(t, ok, "unknown mutant %q", name)
	env := memEnv()
	env.Watchdog = childWatchdog
	setup := env.Setup
	env.Setup = func(t testing.TB) *transporttest.System {
		sys := setup(t)
		sys.Client = mutantTransport{sys.Client, m}
		sys.Server = mutantTransport{sys.Server, m}
		return sys
	}
	env.Skip = mergeSkips(env.Skip, map[string]string{"Conn": "mutant children run the suite's own checks only"})
	transporttest.TestAll(t, env)
}

func mergeSkips(maps ...map[string]string) map[string]string {
	out := make(map[string]string)
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var _ transport.Transport = mutantTransport{}

func TestMutantNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range mutants {
		assert.False(t, seen[m.name], "duplicate mutant %s", m.name)
		seen[m.name] = true
		assert.True(t, strings.Contains(m.caughtBy, "/"), "caughtBy %q names a check", m.caughtBy)
	}
}

// TestWatchdog shows that a check frozen in its bubble (a goroutine stuck
// on a mutex stops virtual time, so no timeout can fire) ends with a panic
// naming the check after Env.Watchdog of real time, instead of hanging.
func TestWatchdog(t *testing.T) {
	if os.Getenv(mutantEnvVar) != "" {
		t.Skip("inside a mutant child")
	}
	cmd := exec.Command(os.Args[0], childArgs("TestWatchdogChild")...)
	cmd.Env = append(os.Environ(), mutantEnvVar+"=watchdog")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "a frozen bubble did not fail:\n%s", out)
	assert.Contains(t, string(out), "transporttest: TestWatchdogChild/Frozen: still running after 1s of real time")
}

// TestWatchdogChild freezes a bubble on purpose; it runs only under
// TestWatchdog.
func TestWatchdogChild(t *testing.T) {
	if os.Getenv(mutantEnvVar) != "watchdog" {
		t.Skip("runs only when TestWatchdog re-executes the test binary")
	}
	env := memEnv()
	env.Watchdog = time.Second
	frozen := transporttest.Scenario{Name: "Frozen", Run: func(c *transporttest.C, o *transporttest.Outcome) {
		var mu sync.Mutex
		mu.Lock()
		done := make(chan struct{})
		go func() {
			mu.Lock() // never unlocked: not durably blocked, the clock stops
			close(done)
		}()
		c.Within("a goroutine stuck on a mutex", func() { <-done }, nil)
	}}
	t.Run("Frozen", func(t *testing.T) { transporttest.RunScenario(t, env, frozen) })
}
