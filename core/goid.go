package core

import (
	"runtime"
	"strconv"
	"strings"
)

// goid returns the calling goroutine's id, parsed from the header line of
// its stack trace ("goroutine 42 [running]:"). Go deliberately hides
// goroutine ids; a Loop uses one only to tell whether a caller is the
// goroutine that is running its events (Invoke from there must not wait for
// itself), and reads it only when that could be the case.
func goid() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	s := strings.TrimPrefix(string(buf[:n]), "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1 // never matches a loop owner (owners are > 0)
	}
	return id
}
