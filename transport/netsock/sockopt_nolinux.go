//go:build !linux

package netsock

import "syscall"

// soReusePort is only set on Linux; elsewhere ShareAddress maps to
// SO_REUSEADDR alone.
const soReusePort = -1

// pathMTU is only implemented on Linux.
func pathMTU(c syscall.RawConn, v6 bool) (int, error) {
	return 0, errUnsupportedOS
}
