package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const wantMem = `12 responders on port 45455 (mem); broadcasting FREESPACE? to 255.255.255.255:45455
host01       10.0.0.1:45455           1.0 GiB (1073741824 bytes)
host02       10.0.0.2:45455          38.0 GiB (40802189312 bytes)
host03       10.0.0.3:45455          75.0 GiB (80530636800 bytes)
host04       10.0.0.4:45455          15.0 GiB (16106127360 bytes)
host05       10.0.0.5:45455          52.0 GiB (55834574848 bytes)
host06       10.0.0.6:45455          89.0 GiB (95563022336 bytes)
host07       10.0.0.7:45455          29.0 GiB (31138512896 bytes)
host08       10.0.0.8:45455          66.0 GiB (70866960384 bytes)
host09       10.0.0.9:45455           6.0 GiB (6442450944 bytes)
host10       10.0.0.10:45455         43.0 GiB (46170898432 bytes)
host11       10.0.0.11:45455         80.0 GiB (85899345920 bytes)
host12       10.0.0.12:45455         20.0 GiB (21474836480 bytes)
12 of 12 answered
most free space: host06 (10.0.0.6, 89.0 GiB)
`

// A dozen simulated hosts, in virtual time: all answer (the run ends at
// the last answer, not after the 10 s window), the output is the same
// every time.
func TestMem(t *testing.T) {
	for range 3 {
		synctest.Test(t, func(t *testing.T) {
			var out strings.Builder
			start := time.Now()
			require.NoError(t, run(&out, config{transport: "mem", hosts: 12, window: 10 * time.Second}))
			assert.Equal(t, wantMem, out.String())
			assert.Less(t, time.Since(start), time.Second)
		})
	}
}

// Without synctest too (what `go run ./examples/discover` does).
func TestMemRealTime(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out, config{transport: "mem", hosts: 12, window: 10 * time.Second}))
	assert.Equal(t, wantMem, out.String())
}

// Three responders on loopback, on a free port, with faked figures.
func TestOSFake(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out, config{transport: "os", hosts: 3, port: 0, window: 10 * time.Second, fake: "3G,9G,512M"}))
	s := out.String()
	assert.Contains(t, s, "broadcasting FREESPACE? to 127.255.255.255:")
	assert.Contains(t, s, "3 of 3 answered\n")
	assert.Contains(t, s, "responder3   127.0.0.1:")
	assert.Contains(t, s, "512.0 MiB (536870912 bytes)")
	assert.True(t, strings.HasSuffix(s, "most free space: responder2 (127.0.0.1, 9.0 GiB)\n"), s)
}

// With statfs, every responder reports the real free space of one file
// system, each measured when it answers: other writers (a busy CI
// machine) may change it in between, so the winner is whichever answered
// the larger figure, responder1 on a tie.
func TestOSStatfs(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out, config{transport: "os", hosts: 2, port: 0, window: 10 * time.Second, path: t.TempDir()}))
	s := out.String()
	assert.Contains(t, s, "2 of 2 answered\n")
	re := regexp.MustCompile(`(?m)^(responder\d)\s+127\.0\.0\.1:\d+\s+.*\((\d+) bytes\)$`)
	free := map[string]uint64{}
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		n, err := strconv.ParseUint(m[2], 10, 64)
		require.NoError(t, err)
		free[m[1]] = n
	}
	require.Len(t, free, 2, s)
	want := "responder1"
	if free["responder2"] > free["responder1"] {
		want = "responder2"
	}
	assert.Contains(t, s, "most free space: "+want+" (127.0.0.1, ")
}

func TestBadFlags(t *testing.T) {
	for _, c := range []struct {
		cfg  config
		want string
	}{
		{config{transport: "ipx", hosts: 1}, `-transport "ipx"`},
		{config{transport: "mem", hosts: 0}, "-hosts 0"},
		{config{transport: "mem", hosts: 300}, "at most 250"},
		{config{transport: "os", hosts: 2, fake: "1G"}, "-fake has 1 figures for 2 responders"},
		{config{transport: "os", hosts: 1, fake: "lots"}, `bad size "lots"`},
		{config{transport: "os", hosts: 1, port: 70000}, "port"},
	} {
		assert.ErrorContains(t, run(&strings.Builder{}, c.cfg), c.want)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{"0": 0, "1234": 1234, "2K": 2048, "3G": 3 << 30, "1T": 1 << 40} {
		got, err := parseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "G", "1X", "-1", "99999999999T"} {
		_, err := parseSize(bad)
		assert.Error(t, err, bad)
	}
}
