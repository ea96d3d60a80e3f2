package sockettest

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// Golden reads a recorded trace: its lines, without empty ones and '#'
// comments.
func Golden(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// Normalize groups a trace by actor (the text before the first '.'),
// summing consecutive BytesWritten and collapsing consecutive ReadyRead:
// each object's order is compared, not the network's interleaving between
// objects, nor how the transport split the bytes.
func Normalize(lines []string) map[string][]string {
	m := make(map[string][]string)
	for _, l := range lines {
		actor, rest, _ := strings.Cut(l, ".")
		seq := m[actor]
		var n, prev int64
		if _, err := fmt.Sscanf(rest, "bytesWritten %d", &n); err == nil && len(seq) > 0 {
			if _, err := fmt.Sscanf(seq[len(seq)-1], actor+".bytesWritten %d", &prev); err == nil {
				seq[len(seq)-1] = fmt.Sprintf("%s.bytesWritten %d", actor, prev+n)
				continue
			}
		}
		if rest == "readyRead" && len(seq) > 0 && seq[len(seq)-1] == l {
			continue
		}
		m[actor] = append(seq, l)
	}
	return m
}
