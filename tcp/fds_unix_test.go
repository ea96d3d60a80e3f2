//go:build unix

package tcp_test

import (
	"syscall"
	"testing"
)

// needFDs makes sure the process may open n file descriptors, raising
// RLIMIT_NOFILE's soft limit (up to the hard one) for the test if needed,
// and skips the test when it cannot.
func needFDs(t *testing.T, n uint64) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skipf("needs %d file descriptors; cannot read RLIMIT_NOFILE: %v", n, err)
	}
	if old.Cur >= n {
		return
	}
	raised := old
	raised.Cur = n
	if raised.Max < n {
		raised.Max = n // works only with CAP_SYS_RESOURCE
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
		t.Skipf("needs %d file descriptors; RLIMIT_NOFILE is %d (hard %d) and cannot be raised: %v",
			n, old.Cur, old.Max, err)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
}
