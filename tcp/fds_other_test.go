//go:build !unix

package tcp_test

import "testing"

// needFDs skips: only Unix lets the test check and raise its descriptor
// limit.
func needFDs(t *testing.T, n uint64) {
	t.Skipf("needs %d file descriptors; the limit is only checked on Unix", n)
}
