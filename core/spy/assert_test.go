package spy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/slotnet/slotnet/internal/faketb"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/spy"
	"github.com/slotnet/slotnet/signal"
)

// recorded returns a Recorder holding the given sequence of state changes
// and errors.
func recorded(t *testing.T) *spy.Recorder {
	var (
		state signal.Signal[string]
		errs  signal.Signal[string]
		disc  signal.Signal0
	)
	r := spy.New()
	require.NoError(t, spy.On(r, "stateChanged", &state))
	require.NoError(t, spy.On(r, "errorOccurred", &errs))
	require.NoError(t, spy.On0(r, "disconnected", &disc))
	state.Emit("HostLookupState")
	state.Emit("ConnectingState")
	errs.Emit("ConnectionRefusedError")
	state.Emit("UnconnectedState")
	disc.Emit()
	return r
}

func TestAssertSequencePasses(t *testing.T) {
	f := faketb.New(t)
	assert.True(t, spy.AssertSequence(f, recorded(t),
		"stateChanged HostLookupState",
		"stateChanged ConnectingState",
		"errorOccurred ConnectionRefusedError",
		"stateChanged UnconnectedState",
		"disconnected"))
	assert.Empty(t, f.Messages())
}

func TestAssertSequenceDiff(t *testing.T) {
	f := faketb.New(t)
	ok := spy.AssertSequence(f, recorded(t),
		"stateChanged HostLookupState",
		"stateChanged ConnectingState",
		"stateChanged UnconnectedState",
		"errorOccurred ConnectionRefusedError")
	assert.False(t, ok)
	require.Len(t, f.Messages(), 1)
	assert.Equal(t, `spy: signal sequence differs (-want +got):
--- want
+++ got
@@ -1,4 +1,5 @@
 stateChanged HostLookupState
 stateChanged ConnectingState
-stateChanged UnconnectedState
 errorOccurred ConnectionRefusedError
+stateChanged UnconnectedState
+disconnected
`, f.Messages()[0])
}

func TestAssertSequenceEmpty(t *testing.T) {
	f := faketb.New(t)
	assert.True(t, spy.AssertSequence(f, spy.New()))
	assert.False(t, spy.AssertSequence(f, spy.New(), "connected"))
	require.Len(t, f.Messages(), 1)
	assert.Contains(t, f.Messages()[0], "@@ -1,1 +0,0 @@\n-connected\n")
	assert.False(t, spy.AssertSequence(f, nil))
	assert.Equal(t, "spy: nil recorder", f.Messages()[1])
}

func TestAssertCounts(t *testing.T) {
	f := faketb.New(t)
	r := recorded(t)
	assert.True(t, spy.AssertCounts(f, r, map[string]int{"stateChanged": 3, "connected": 0}))
	assert.Empty(t, f.Messages())

	assert.False(t, spy.AssertCounts(f, r, map[string]int{
		"stateChanged": 3, "errorOccurred": 2, "connected": 1,
	}))
	require.Len(t, f.Messages(), 1)
	assert.Equal(t, `spy: signal counts differ:
  "connected"              want 1, got 0
  "errorOccurred"          want 2, got 1
recorded:
  stateChanged HostLookupState
  stateChanged ConnectingState
  errorOccurred ConnectionRefusedError
  stateChanged UnconnectedState
  disconnected`, f.Messages()[0])
	assert.False(t, spy.AssertCounts(f, nil, nil))
}

func TestDiff(t *testing.T) {
	assert.Empty(t, spy.Diff(nil, nil))
	assert.Empty(t, spy.Diff([]string{"a"}, []string{"a"}))
	assert.Equal(t, "--- want\n+++ got\n@@ -0,0 +1,1 @@\n+a\n", spy.Diff(nil, []string{"a"}))

	// Two changes far apart make two hunks with three lines of context.
	var want []string
	for i := range 20 {
		want = append(want, fmt.Sprint("line ", i))
	}
	got := append([]string(nil), want...)
	got[2] = "changed 2"
	got = append(got[:15], got[16:]...) // drop line 15
	assert.Equal(t, `--- want
+++ got
@@ -1,6 +1,6 @@
 line 0
 line 1
-line 2
+changed 2
 line 3
 line 4
 line 5
@@ -13,7 +13,6 @@
 line 12
 line 13
 line 14
-line 15
 line 16
 line 17
 line 18
`, spy.Diff(want, got))
}

func TestDiffLarge(t *testing.T) {
	// Beyond the LCS table's bound the middle is shown removed then added.
	a := make([]string, 3000)
	b := make([]string, 3000)
	for i := range a {
		a[i] = fmt.Sprint("a", i)
		b[i] = fmt.Sprint("b", i)
	}
	a[0], b[0] = "same", "same"
	d := spy.Diff(a, b)
	assert.True(t, strings.HasPrefix(d, "--- want\n+++ got\n@@ -1,3000 +1,3000 @@\n same\n-a1\n"))
	assert.Equal(t, 2999, strings.Count(d, "\n-a"))
	assert.Equal(t, 2999, strings.Count(d, "\n+b"))
}
