package transporttest

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Outcome is what a scenario observed, as an ordered list of events that
// must not depend on timing: bytes read, error classes (see Classify),
// flags. Two transports agree on a scenario when their Outcomes are equal.
type Outcome struct {
	Events []string
}

// Add records one event.
func (o *Outcome) Add(format string, args ...any) {
	o.Events = append(o.Events, fmt.Sprintf(format, args...))
}

// Op records an operation's result: its name, the count and the error's
// class, e.g. "read n=4 EOF".
func (o *Outcome) Op(name string, n int, err error) {
	o.Add("%s n=%d %s", name, n, Classify(err))
}

// Err records an operation's error class, e.g. "dial ConnectionRefusedError".
func (o *Outcome) Err(name string, err error) {
	o.Add("%s %s", name, Classify(err))
}

// Data records bytes received, e.g. `read "hello"`.
func (o *Outcome) Data(name string, b []byte) {
	o.Add("%s %s", name, strconv.Quote(string(b)))
}

// Scenario is one deterministic exchange whose Outcome the differential
// mode compares across transports. Run uses the C helpers (Pair, Bind,
// Within, ...) and records what it sees in o; it must not record anything
// that depends on timing, addresses or port numbers.
type Scenario struct {
	Name string
	Run  func(c *C, o *Outcome)
}

// Differential runs every scenario on env a and on env b (each in its own
// bubble and System) and requires equal Outcomes: the same bytes, the same
// error classes, in the same order. A scenario is a subtest of t; a key
// "Differential/<name>" in either env's Skip skips it.
func Differential(t *testing.T, scenarios []Scenario, a, b Env) {
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			for _, env := range []Env{a, b} {
				if reason, ok := env.skipReason("Differential/" + sc.Name); ok {
					t.Skipf("%s: %s", env.Name, reason)
				}
			}
			oa := RunScenario(t, a, sc)
			ob := RunScenario(t, b, sc)
			assert.Equal(t, oa.Events, ob.Events, "scenario %q: %s (left) and %s (right) disagree", sc.Name, a.Name, b.Name)
		})
	}
}

// RunScenario runs one scenario on env and returns its Outcome.
func RunScenario(t *testing.T, env Env, sc Scenario) Outcome {
	t.Helper()
	var o Outcome
	inEnv(t, env, func(c *C) { sc.Run(c, &o) })
	return o
}
