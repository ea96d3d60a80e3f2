package peer

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// script is what every scripted peer shares: its steps, how far it got,
// its failure, its end, and the cleanup that reports steps left unplayed.
// S is the peer's step type.
type script[S any] struct {
	t       testing.TB
	timeout time.Duration // for the steps added from now on
	desc    func(S) string

	mu      sync.Mutex // guards the fields below
	steps   []S
	labels  map[int]string // Label's names, by step index
	next    int            // the index of the step playing, or of the first not played
	started bool           // the script was played
	closer  io.Closer
	err     *StepError

	stop     chan struct{} // closed at cleanup: the test is over
	done     chan struct{} // closed when the script has ended
	doneOnce sync.Once
}

func (sc *script[S]) init(t testing.TB, desc func(S) string) {
	sc.t, sc.desc, sc.timeout = t, desc, DefaultTimeout
	sc.stop, sc.done = make(chan struct{}), make(chan struct{})
	t.Cleanup(sc.cleanup)
}

// add appends a step, unless the script already plays; bad says why the
// step could not be built. It returns what to report, if anything: the
// caller reports it, so that t.Helper is paid for only then.
func (sc *script[S]) add(st S, bad string) string {
	sc.mu.Lock()
	started := sc.started
	if !started {
		sc.steps = append(sc.steps, st)
	}
	n := len(sc.steps)
	sc.mu.Unlock()
	if started {
		return fmt.Sprintf("peer: %s added after Play: a script is built before it plays", sc.desc(st))
	}
	if bad != "" {
		return fmt.Sprintf("peer: step %d %s: %s", n-1, sc.desc(st), bad)
	}
	return ""
}

// setTimeout sets the timeout of the steps added from now on.
func (sc *script[S]) setTimeout(d time.Duration) {
	if d <= 0 {
		d = DefaultTimeout
	}
	sc.timeout = d
}

// begin marks the script started, once; a nil target fails the script.
func (sc *script[S]) begin(isNil bool, what string) bool {
	sc.t.Helper()
	sc.mu.Lock()
	started := sc.started
	sc.started = true
	sc.mu.Unlock()
	switch {
	case started:
		sc.t.Errorf("peer: %s: the script already played; a script plays once", what)
		return false
	case isNil:
		sc.fail(&StepError{Step: -1, Desc: what + "(nil)", Offset: -1, Diff: -1,
			Msg: "nothing to play on", Left: sc.left(0)})
		sc.finish()
		return false
	}
	return true
}

// attach records what the cleanup closes to unblock the player. The player
// checks stopped after it, so either the cleanup closes c or the player
// sees the stop.
func (sc *script[S]) attach(c io.Closer) {
	sc.mu.Lock()
	sc.closer = c
	sc.mu.Unlock()
}

// current returns the step to play, or false at the end.
func (sc *script[S]) current() (int, S, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	var zero S
	if sc.next >= len(sc.steps) {
		return sc.next, zero, false
	}
	return sc.next, sc.steps[sc.next], true
}

// advance marks step i played.
func (sc *script[S]) advance(i int) {
	sc.mu.Lock()
	sc.next = i + 1
	sc.mu.Unlock()
}

// label names the last step added; with no step yet it does nothing.
func (sc *script[S]) label(name string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.steps) == 0 || sc.started {
		return
	}
	if sc.labels == nil {
		sc.labels = make(map[int]string)
	}
	sc.labels[len(sc.steps)-1] = name
}

// fail records the script's first failure and reports it to the test.
func (sc *script[S]) fail(e *StepError) {
	sc.mu.Lock()
	if e.Step >= 0 && e.Label == "" {
		e.Label = sc.labels[e.Step]
	}
	if sc.err == nil {
		sc.err = e
	}
	sc.mu.Unlock()
	sc.t.Errorf("%v", e)
}

// finish marks the script ended. Only an Errorf that ended the player's
// goroutine (runtime.Goexit) leaves steps unplayed without a failure;
// record one so that Err says so.
func (sc *script[S]) finish() {
	sc.mu.Lock()
	if sc.err == nil && sc.next < len(sc.steps) {
		sc.err = &StepError{Step: sc.next, Label: sc.labels[sc.next], Desc: sc.desc(sc.steps[sc.next]),
			Offset: -1, Diff: -1, Msg: "the script's goroutine ended"}
	}
	sc.mu.Unlock()
	sc.doneOnce.Do(func() { close(sc.done) })
}

// left describes the steps from i on.
func (sc *script[S]) left(i int) []string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	var out []string
	for j := max(i, 0); j < len(sc.steps); j++ {
		if l := sc.labels[j]; l != "" {
			out = append(out, fmt.Sprintf("step %d (%s) %s", j, l, sc.desc(sc.steps[j])))
			continue
		}
		out = append(out, fmt.Sprintf("step %d %s", j, sc.desc(sc.steps[j])))
	}
	return out
}

// stopped reports whether the test has ended.
func (sc *script[S]) stopped() bool {
	select {
	case <-sc.stop:
		return true
	default:
		return false
	}
}

// sleep waits d, or until the test ends (false).
func (sc *script[S]) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-sc.stop:
		return false
	}
}

// errValue returns the failure as an error, nil when there is none.
func (sc *script[S]) errValue() error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.err == nil {
		return nil
	}
	return sc.err
}

// length returns the number of steps.
func (sc *script[S]) length() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return len(sc.steps)
}

// cleanup runs when the test ends: it reports a script never played, and
// stops and joins one still playing (whose player then fails the waiting
// step and names the steps left).
func (sc *script[S]) cleanup() {
	sc.t.Helper()
	sc.mu.Lock()
	started, n := sc.started, len(sc.steps)
	sc.mu.Unlock()
	close(sc.stop)
	if !started {
		if n > 0 {
			sc.t.Errorf("peer: the script was never played: %d step(s) left: %s",
				n, strings.Join(sc.left(0), ", "))
		}
		return
	}
	sc.mu.Lock()
	c := sc.closer
	sc.mu.Unlock()
	if c != nil {
		_ = c.Close() // unblocks a read or write in progress
	}
	<-sc.done
}
