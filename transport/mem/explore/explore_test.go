package explore_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/mem/explore"
)

// maxRuns bounds the deterministic search: CI never fuzzes open-ended.
const maxRuns = 2000

// The explorer finds the planted ordering bug within maxRuns scenarios,
// and the same search finds it at the same run every time.
func TestSearchFindsPlantedBug(t *testing.T) {
	r, tried, found := explore.Search(t, maxRuns, upperBody(true))
	require.True(t, found, "the planted bug went unnoticed in %d runs", maxRuns)
	assert.EqualError(t, r.Err, `request "hello" got answer "WORLD"`)
	t.Logf("found in %d runs:\n%v", tried, r)
	again, tried2, _ := explore.Search(t, maxRuns, upperBody(true))
	assert.Equal(t, tried, tried2)
	assert.Equal(t, r.Trace, again.Trace)
}

// The correct client passes the same exploration.
func TestSearchCorrectClientPasses(t *testing.T) {
	runs := maxRuns
	if testing.Short() {
		runs = 200
	}
	_, tried, found := explore.Search(t, runs, upperBody(false))
	assert.False(t, found)
	assert.Equal(t, runs, tried)
}

// corpusDir holds the committed failing inputs of the planted bug:
// "minimised" is Minimize's, the other is what go test -fuzz found and
// minimised itself (in 25 executions).
var (
	corpusDir      = filepath.Join("testdata", "fuzz", "FuzzUpperPlantedBug")
	minimisedInput = filepath.Join(corpusDir, "minimised")
)

// Every committed input replays the bug: 20 runs each, the same failure
// and the same trace each time; the correct client passes the same
// scenarios.
func TestMinimisedInputReplays(t *testing.T) {
	files, err := os.ReadDir(corpusDir)
	require.NoError(t, err)
	require.Len(t, files, 2)
	for _, f := range files {
		data, err := explore.ReadCorpusFile(filepath.Join(corpusDir, f.Name()))
		require.NoError(t, err)
		s := explore.Decode(data)
		first := explore.Run(t, s, upperBody(true))
		require.EqualError(t, first.Err, `request "hello" got answer "WORLD"`, f.Name())
		require.NotEmpty(t, first.Trace)
		for range 20 {
			r := explore.Run(t, s, upperBody(true))
			require.Error(t, r.Err)
			assert.Equal(t, first.Err.Error(), r.Err.Error())
			assert.Equal(t, first.Trace, r.Trace)
		}
		assert.NoError(t, explore.Run(t, s, upperBody(false)).Err, "the correct client passes %v", s)
	}
}

// Minimize turns the search's first failure into a one-byte input (the
// committed "minimised" file; -update rewrites it) that still fails.
func TestMinimizeGivesCommittedInput(t *testing.T) {
	r, _, found := explore.Search(t, maxRuns, upperBody(true))
	require.True(t, found)
	m := explore.Minimize(t, r.Scenario, upperBody(true))
	t.Logf("minimised %v to %v", r.Scenario, m)
	assert.Error(t, explore.Run(t, m, upperBody(true)).Err)
	assert.Len(t, m.Encode(), 1, "a tie seed alone shows the bug")
	if *update {
		require.NoError(t, os.WriteFile(minimisedInput, []byte(explore.FormatCorpus(m.Encode())), 0o644))
	}
}

var update = flag.Bool("update", false, "rewrite the committed minimised input")

// FuzzUpperPlantedBug is the fuzz target with the planted bug. It fails by
// design, so it runs only with EXPLORE_PLANTED=1 (make fuzz and plain go
// test skip it; TestSearchFindsPlantedBug covers it):
//
//	EXPLORE_PLANTED=1 go test -run=FuzzUpperPlantedBug/minimised   # replay
//	EXPLORE_PLANTED=1 go test -run='^$' -fuzz=FuzzUpperPlantedBug  # search
//
// go test -fuzz replays the committed corpus first, which fails at once;
// move testdata/fuzz/FuzzUpperPlantedBug aside to watch it search.
func FuzzUpperPlantedBug(f *testing.F) {
	if os.Getenv("EXPLORE_PLANTED") == "" {
		f.Skip("fails by design: set EXPLORE_PLANTED=1 to run it (TestSearchFindsPlantedBug covers it)")
	}
	f.Add([]byte{}) // the simplest scenario passes: the fuzzer has to search
	f.Fuzz(func(t *testing.T, data []byte) { explore.Check(t, data, upperBody(true)) })
}

// FuzzUpper explores the correct client; its seeds run in every go test.
func FuzzUpper(f *testing.F) {
	explore.AddSeeds(f, 16)
	f.Fuzz(func(t *testing.T, data []byte) { explore.Check(t, data, upperBody(false)) })
}

// Extra network options apply under the scenario's: slow start here, and a
// seed the scenario overrides.
func TestRunOptions(t *testing.T) {
	s := explore.Decode([]byte("\x01"))
	plain := explore.Run(t, s, upperBody(true))
	with := explore.Run(t, s, upperBody(true), mem.WithSlowStart(true), mem.WithSeed(99))
	assert.Equal(t, plain.Err, with.Err)
	assert.Equal(t, plain.Trace, with.Trace, "slow start changes nothing for two lines; the scenario's seed wins")
}
