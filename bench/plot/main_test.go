package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const sample = `goos: linux
BenchmarkDirect/limit=funcslice/N=1-2   	100	 3.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkDirect/limit=funcslice/N=1-2   	100	 5.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkDirect/limit=funcslice/N=1-2   	100	 4.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkDirect/slotnet/N=10-2          	100	 40 ns/op
BenchmarkDirect/slotnet/N=10-2          	100	 60 ns/op
BenchmarkDirect/eventbus/N=100-2        	100	 20000 ns/op
BenchmarkQueued/slotnet-2               	100	 70 ns/op
`

func TestParseAndMedians(t *testing.T) {
	s, err := parse(strings.NewReader(sample))
	require.NoError(t, err)
	assert.Len(t, s, 3, "only BenchmarkDirect lines count")
	m := medians(s)
	assert.Equal(t, 4.0, m[key{"limit=funcslice", 1}], "odd count: the middle value")
	assert.Equal(t, 50.0, m[key{"slotnet", 10}], "even count: the mean of the middle two")
	assert.Equal(t, 20000.0, m[key{"eventbus", 100}])
}

func TestWriteSVG(t *testing.T) {
	s, err := parse(strings.NewReader(sample))
	require.NoError(t, err)
	var buf bytes.Buffer
	writeSVG(&buf, medians(s))
	out := buf.String()
	assert.True(t, strings.HasPrefix(out, "<svg"))
	assert.True(t, strings.HasSuffix(strings.TrimSpace(out), "</svg>"))
	assert.Equal(t, 3, strings.Count(out, "<polyline"), "one line per series")
	assert.Equal(t, 3, strings.Count(out, "<circle"), "one point per measured (series, N)")
}

// FuzzParse feeds arbitrary text to the bench-output parser: it must never
// panic, and every value it keeps is a parsed ns/op of a Direct line.
func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add("BenchmarkDirect/slotnet/N=1-2 10 1e3 ns/op")
	f.Add("BenchmarkDirect/x/N=99999999999999999999-2 1 1 ns/op")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := parse(strings.NewReader(in))
		if err != nil {
			return
		}
		for k, vs := range s {
			assert.NotEmpty(t, vs, "key %v kept without samples", k)
		}
		var buf bytes.Buffer
		if len(s) > 0 {
			writeSVG(&buf, medians(s))
		}
	})
}
