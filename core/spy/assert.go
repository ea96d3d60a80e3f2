package spy

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// AssertSequence checks that r's Sequence is exactly want, and otherwise
// fails t with a unified diff of want against the recorded sequence. It
// reports whether they matched.
func AssertSequence(t testing.TB, r *Recorder, want ...string) bool {
	t.Helper()
	if r == nil {
		t.Errorf("%v", ErrNilRecorder)
		return false
	}
	got := r.Sequence()
	if slices.Equal(want, got) {
		return true
	}
	t.Errorf("spy: signal sequence differs (-want +got):\n%s", Diff(want, got))
	return false
}

// AssertCounts checks the number of emissions of each name in want (a count
// of 0 asserts that a signal was not emitted; names not in want are not
// checked), and otherwise fails t with a table of the differing counts and
// the recorded sequence. It reports whether they all matched.
func AssertCounts(t testing.TB, r *Recorder, want map[string]int) bool {
	t.Helper()
	if r == nil {
		t.Errorf("%v", ErrNilRecorder)
		return false
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		if got := r.Count(name); got != want[name] {
			fmt.Fprintf(&b, "  %-24q want %d, got %d\n", name, want[name], got)
		}
	}
	if b.Len() == 0 {
		return true
	}
	t.Errorf("spy: signal counts differ:\n%srecorded:\n  %s", b.String(),
		strings.Join(r.Sequence(), "\n  "))
	return false
}
