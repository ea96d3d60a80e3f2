package core

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/internal/qtcompat"
)

const goldenFile = "testdata/datastream_golden.txt"

// goldenConfig is one cell's stream settings.
type goldenConfig struct {
	version   StreamVersion
	order     ByteOrder
	precision FloatingPointPrecision
}

func (c goldenConfig) stream(ds *DataStream) *DataStream {
	if err := ds.SetVersion(c.version); err != nil {
		panic(err)
	}
	ds.SetByteOrder(c.order)
	ds.SetFloatingPointPrecision(c.precision)
	return ds
}

// goldenCase is one row of testdata/datastream_golden.py in Go: the value
// Qt was given, how to write and read it, and the value a read must give
// (which a lossy version may change).
type goldenCase struct {
	write func(ds *DataStream)
	read  func(ds *DataStream) any
	want  func(c goldenConfig) any
}

func same[T any](v T, w func(*DataStream, T), r func(*DataStream) T) goldenCase {
	return goldenCase{
		write: func(ds *DataStream) { w(ds, v) },
		read:  func(ds *DataStream) any { return r(ds) },
		want:  func(goldenConfig) any { return v },
	}
}

func double(v float64) goldenCase {
	c := same(v, (*DataStream).WriteFloat64, (*DataStream).ReadFloat64)
	c.want = func(g goldenConfig) any {
		if g.version >= Qt_4_6 && g.precision == SinglePrecision {
			return float64(float32(v))
		}
		return v
	}
	return c
}

// parseGolden reads "case/vN/order/precision: hex" lines.
func parseGolden(t *testing.T, text string) map[string]string {
	t.Helper()
	out := make(map[string]string)
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ": ")
		require.True(t, ok, "bad golden line %q", sc.Text())
		out[name] = value
	}
	return out
}

func parseCell(t *testing.T, cell string) (string, goldenConfig) {
	t.Helper()
	parts := strings.Split(cell, "/")
	require.Len(t, parts, 4, "cell %q", cell)
	var c goldenConfig
	_, err := fmt.Sscanf(parts[1], "v%d", &c.version)
	require.NoError(t, err, "cell %q", cell)
	if parts[2] == "le" {
		c.order = LittleEndian
	}
	if parts[3] == "dp" {
		c.precision = DoublePrecision
	}
	return parts[0], c
}

// goldenTable returns the committed table, after checking that it is what
// real Qt writes today when PyQt5 is here.
func goldenTable(t *testing.T) map[string]string {
	committed, err := os.ReadFile(goldenFile)
	require.NoError(t, err)
	table := parseGolden(t, string(committed))
	t.Run("committed table matches Qt", func(t *testing.T) {
		qt := qtcompat.Run(t, "PyQt5.QtNetwork", "testdata/datastream_golden.py")
		var diffs []string
		for cell, want := range qt {
			if got, ok := table[cell]; !ok || got != want {
				diffs = append(diffs, fmt.Sprintf("%s: Qt %s, committed %q", cell, want, got))
			}
		}
		for cell := range table {
			if _, ok := qt[cell]; !ok {
				diffs = append(diffs, cell+": committed, but Qt wrote no such cell")
			}
		}
		slices.Sort(diffs)
		assert.Empty(t, diffs[:min(len(diffs), 20)], "%d cells differ; regenerate with: "+
			"/usr/bin/python3 core/testdata/datastream_golden.py > core/%s", len(diffs), goldenFile)
	})
	return table
}

// TestDataStreamGolden reads every cell Qt wrote with DataStream, compares
// the value, and writes the value back byte for byte.
func TestDataStreamGolden(t *testing.T) {
	table := goldenTable(t)
	cases := goldenCases()
	seen := make(map[string]bool)
	for cell, hexBytes := range table {
		name, cfg := parseCell(t, cell)
		c, ok := cases[name]
		if !assert.True(t, ok, "no Go case for %q", name) {
			continue
		}
		seen[name] = true
		want, err := hex.DecodeString(hexBytes)
		require.NoError(t, err)

		ds := cfg.stream(NewDataStreamBytes(want))
		got := c.read(ds)
		assert.NoError(t, ds.Err(), cell)
		assert.Zero(t, ds.Buffered(), "%s: bytes left unread", cell)
		assert.Equal(t, c.want(cfg), got, "%s: value read", cell)

		var out strings.Builder
		ds = cfg.stream(NewDataStreamWriter(&out))
		c.write(ds)
		assert.NoError(t, ds.Err(), cell)
		assert.Equal(t, hexBytes, hex.EncodeToString([]byte(out.String())), "%s: bytes written", cell)
	}
	for name := range cases {
		assert.True(t, seen[name], "case %q is not in the golden table", name)
	}
}
