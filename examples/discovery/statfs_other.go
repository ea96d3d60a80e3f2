//go:build !unix

package discovery

import "errors"

// StatfsFree reports an error on this system: free space is read with
// statfs(2), on unix only. Use Fixed (the command's -fake flag) instead.
func StatfsFree(string) FreeFunc {
	return func() (uint64, error) { return 0, errors.New("discovery: free space needs statfs (unix)") }
}
