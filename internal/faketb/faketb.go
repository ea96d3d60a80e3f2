// Package faketb is a testing.TB that records what the code under test
// reports instead of failing the test, so a test of a testing helper (a
// scripted peer, a replay, a leak check, a signal-spy assertion) can
// assert the messages a user would read.
//
// A TB records Error/Errorf, Fatal/Fatalf, Skip/Skipf and Log/Logf. Fatal
// and Skip end the calling goroutine with runtime.Goexit, as package
// testing's do; with Goexit set, Error does too (the harshest thing a TB
// can do to a helper's goroutine). Cleanups run, last registered first,
// when the test calls End. Any other testing.TB method goes to the
// embedded TB given to New: with nil, such a call panics, which shows a
// helper has started to depend on something the fake does not model.
package faketb

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// TB records failures, skips, logs and cleanups. It is safe for use by
// several goroutines, as a testing.T is.
type TB struct {
	testing.TB

	// Goexit makes Error and Errorf end the calling goroutine, as FailNow
	// does.
	Goexit bool

	mu       sync.Mutex // guards the fields below
	errs     []string
	logs     []string
	skipped  bool
	reason   string
	cleanups []func()
}

// New returns a TB that passes the methods it does not record to tb
// (which may be nil).
func New(tb testing.TB) *TB { return &TB{TB: tb} }

// Helper does nothing.
func (f *TB) Helper() {}

// Name is the embedded TB's name, or "TestFake" without one.
func (f *TB) Name() string {
	if f.TB != nil {
		return f.TB.Name()
	}
	return "TestFake"
}

// Errorf records a failure.
func (f *TB) Errorf(format string, args ...any) {
	f.record(&f.errs, fmt.Sprintf(format, args...))
	if f.Goexit {
		runtime.Goexit()
	}
}

// Error records a failure.
func (f *TB) Error(args ...any) { f.Errorf("%s", fmt.Sprint(args...)) }

// Fatalf records a failure and ends the calling goroutine.
func (f *TB) Fatalf(format string, args ...any) {
	f.record(&f.errs, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// Fatal records a failure and ends the calling goroutine.
func (f *TB) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }

// FailNow records an empty failure and ends the calling goroutine.
func (f *TB) FailNow() { f.Fatalf("FailNow") }

// Fail records an empty failure.
func (f *TB) Fail() { f.record(&f.errs, "Fail") }

// Failed reports whether a failure was recorded.
func (f *TB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.errs) > 0
}

// Skipf records the reason and ends the calling goroutine.
func (f *TB) Skipf(format string, args ...any) {
	f.mu.Lock()
	f.skipped, f.reason = true, fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// Skip records the reason and ends the calling goroutine.
func (f *TB) Skip(args ...any) { f.Skipf("%s", fmt.Sprint(args...)) }

// Logf records a log line.
func (f *TB) Logf(format string, args ...any) { f.record(&f.logs, fmt.Sprintf(format, args...)) }

// Log records a log line.
func (f *TB) Log(args ...any) { f.record(&f.logs, fmt.Sprint(args...)) }

// Cleanup registers fn for End.
func (f *TB) Cleanup(fn func()) {
	f.mu.Lock()
	f.cleanups = append(f.cleanups, fn)
	f.mu.Unlock()
}

// End runs the registered cleanups, last first, as the end of a test does.
// A cleanup may register more; they run too.
func (f *TB) End() {
	for {
		f.mu.Lock()
		fns := f.cleanups
		f.cleanups = nil
		f.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for i := len(fns) - 1; i >= 0; i-- {
			fns[i]()
		}
	}
}

// Messages returns the failures recorded, in order.
func (f *TB) Messages() []string { return f.copyOf(&f.errs) }

// Logs returns the log lines recorded, in order.
func (f *TB) Logs() []string { return f.copyOf(&f.logs) }

// Skipped reports whether Skip was called.
func (f *TB) Skipped() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.skipped
}

// SkipReason returns the reason given to Skip, or "".
func (f *TB) SkipReason() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reason
}

// One returns the single failure recorded, failing t if there is not
// exactly one.
func (f *TB) One(t testing.TB) string {
	t.Helper()
	msgs := f.Messages()
	if len(msgs) != 1 {
		t.Fatalf("want exactly one failure, got %d: %q", len(msgs), msgs)
	}
	return msgs[0]
}

// Run calls fn with f on a goroutine of its own and waits for it to
// return or to end by Fatal, Skip or (with Goexit) Error.
func (f *TB) Run(fn func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
}

func (f *TB) record(into *[]string, msg string) {
	f.mu.Lock()
	*into = append(*into, msg)
	f.mu.Unlock()
}

func (f *TB) copyOf(s *[]string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), *s...)
}
