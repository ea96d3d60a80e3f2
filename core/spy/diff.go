package spy

import (
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines shown around a change.
const diffContext = 3

// maxLCS bounds the table of the line diff; beyond it the differing middle
// is shown as removed, then added.
const maxLCS = 1 << 22

// An edit is one line of a diff: ' ' kept, '-' only in a (want), '+' only in
// b (got).
type edit struct {
	op   byte
	line string
}

// Diff returns a unified diff of want against got, one element a line, with
// headers "--- want" and "+++ got", or "" when they are equal.
func Diff(want, got []string) string {
	edits := lineEdits(want, got)
	changed := false
	for _, e := range edits {
		changed = changed || e.op != ' '
	}
	if !changed {
		return ""
	}
	var b strings.Builder
	b.WriteString("--- want\n+++ got\n")
	writeHunks(&b, edits)
	return b.String()
}

// lineEdits returns an edit script turning a into b: the common prefix and
// suffix kept, the middle by longest common subsequence.
func lineEdits(a, b []string) []edit {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	var out []edit
	for _, l := range a[:p] {
		out = append(out, edit{' ', l})
	}
	out = append(out, middleEdits(a[p:len(a)-s], b[p:len(b)-s])...)
	for _, l := range a[len(a)-s:] {
		out = append(out, edit{' ', l})
	}
	return out
}

// middleEdits diffs a and b by longest common subsequence.
func middleEdits(a, b []string) []edit {
	var out []edit
	if (len(a)+1)*(len(b)+1) > maxLCS {
		for _, l := range a {
			out = append(out, edit{'-', l})
		}
		for _, l := range b {
			out = append(out, edit{'+', l})
		}
		return out
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	w := len(b) + 1
	lcs := make([]int, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, edit{' ', a[i]})
			i, j = i+1, j+1
		case j == len(b) || (i < len(a) && lcs[(i+1)*w+j] >= lcs[i*w+j+1]):
			out = append(out, edit{'-', a[i]})
			i++
		default:
			out = append(out, edit{'+', b[j]})
			j++
		}
	}
	return out
}

// writeHunks writes the edits as unified-diff hunks with diffContext lines
// of context.
func writeHunks(b *strings.Builder, edits []edit) {
	for start := 0; start < len(edits); {
		first := nextChange(edits, start)
		if first == len(edits) {
			return
		}
		lo := max(first-diffContext, start)
		hi := hunkEnd(edits, first)
		writeHunk(b, edits, lo, hi)
		start = hi
	}
}

// nextChange returns the index of the first change at or after i.
func nextChange(edits []edit, i int) int {
	for i < len(edits) && edits[i].op == ' ' {
		i++
	}
	return i
}

// hunkEnd returns the end of the hunk holding the change at first: changes
// closer than twice the context share a hunk.
func hunkEnd(edits []edit, first int) int {
	end := first
	for {
		for end < len(edits) && edits[end].op != ' ' {
			end++
		}
		next := nextChange(edits, end)
		if next == len(edits) || next-end > 2*diffContext {
			return min(end+diffContext, len(edits))
		}
		end = next
	}
}

// writeHunk writes edits[lo:hi] under its "@@ -a,n +b,m @@" header.
func writeHunk(b *strings.Builder, edits []edit, lo, hi int) {
	aLine, bLine := 1, 1
	for _, e := range edits[:lo] {
		if e.op != '+' {
			aLine++
		}
		if e.op != '-' {
			bLine++
		}
	}
	var aN, bN int
	for _, e := range edits[lo:hi] {
		if e.op != '+' {
			aN++
		}
		if e.op != '-' {
			bN++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(aLine, aN), hunkRange(bLine, bN))
	for _, e := range edits[lo:hi] {
		b.WriteByte(e.op)
		b.WriteString(e.line)
		b.WriteByte('\n')
	}
}

// hunkRange is GNU diff's "start,count"; an empty range starts at the line
// before it.
func hunkRange(start, n int) string {
	if n == 0 {
		start--
	}
	return fmt.Sprintf("%d,%d", start, n)
}
