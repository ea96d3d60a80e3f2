package peer

import (
	"fmt"
	"strconv"
	"strings"
)

// StepError is how a script fails: which step, where in the stream, and
// what differed. Stream.Err, Datagram.Err and DNS.Err return it, and its
// Error text is what the test reports.
type StepError struct {
	Step int    // the failing step's index, from 0, in the order the steps were added; -1 before the first (Accept, or Play(nil))
	Desc string // the step as written, e.g. ExpectLine("HELLO")
	// Label is the name Label gave the step ("" if none), so a tool that
	// builds scripts (package record) can say where a step came from.
	Label string

	// Offset is the byte offset in the stream where the failure was found:
	// for an expectation, the first byte that differed (or where the
	// stream ended) counted from the start of what the script received;
	// for a Send, how many bytes the script had sent. -1 when it does not
	// apply (datagrams, DNS).
	Offset int64

	Msg string // what went wrong, in words

	// Expected and Got are the bytes compared when an expectation failed,
	// and Diff the index in both where they first differ (-1 when
	// there was nothing to compare).
	Expected, Got []byte
	Diff          int

	Err error // the I/O error behind the failure, if any

	// Left lists the steps that were never reached, as written.
	Left []string
}

// Error formats the failure on several lines:
//
//	peer: step 1 ExpectLine("HELLO") at stream offset 8: line differs at byte 2
//		expected "HELLO\n"
//		     got "HEllo\n"
//		            ^
func (e *StepError) Error() string {
	var b strings.Builder
	if e.Step < 0 {
		fmt.Fprintf(&b, "peer: %s", e.Desc) // before the first step: Accept
	} else {
		fmt.Fprintf(&b, "peer: step %d ", e.Step)
		if e.Label != "" {
			fmt.Fprintf(&b, "(%s) ", e.Label)
		}
		b.WriteString(e.Desc)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at stream offset %d", e.Offset)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Diff >= 0 {
		b.WriteString(diffText(e.Expected, e.Got, e.Diff))
	}
	if len(e.Left) > 0 {
		fmt.Fprintf(&b, "\n\t%d step(s) not played: %s", len(e.Left), strings.Join(e.Left, ", "))
	}
	return b.String()
}

// Unwrap returns the I/O error behind the failure.
func (e *StepError) Unwrap() error { return e.Err }

// diffWindow is how many bytes the diff shows on each side of the first
// difference.
const diffWindow = 32

// diffText shows want and got, quoted, one above the other, with a caret
// under the first differing byte at. Long values are cut to a window around
// at, marked with "...".
func diffText(want, got []byte, at int) string {
	lo := max(0, at-diffWindow)
	pre := ""
	if lo > 0 {
		pre = "..."
	}
	_, wq := window(want, lo, at)
	g, gq := window(got, lo, at)
	// The caret goes under the first byte after the common part of got.
	col := len(strconv.Quote(string(g[:min(len(g), at-lo)]))) - 1
	return fmt.Sprintf("\n\texpected %s%s\n\t     got %s%s\n\t         %s^",
		pre, wq, pre, gq, strings.Repeat(" ", len(pre)+col))
}

// window returns b[lo:] cut to diffWindow bytes after at, and its quoted
// form (with "..." after the quote when cut).
func window(b []byte, lo, at int) ([]byte, string) {
	if lo > len(b) {
		lo = len(b)
	}
	hi := min(len(b), at+diffWindow)
	if hi < lo {
		hi = lo
	}
	s := strconv.Quote(string(b[lo:hi]))
	if hi < len(b) {
		s += "..."
	}
	return b[lo:hi], s
}

// firstDiff returns the first index where a and b differ within the
// shorter of the two, or -1 if one is a prefix of the other.
func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// describe quotes b for a step description, cut to 40 bytes.
func describe(b []byte) string {
	const limit = 40
	if len(b) <= limit {
		return strconv.Quote(string(b))
	}
	return strconv.Quote(string(b[:limit])) + fmt.Sprintf("...(%d bytes)", len(b))
}
