//go:build unix

package discovery

import "syscall"

// StatfsFree is a FreeFunc reporting the space available to an
// unprivileged user on the file system holding path (statfs(2): f_bavail
// blocks of f_bsize bytes), what df shows as "Avail".
func StatfsFree(path string) FreeFunc {
	return func() (uint64, error) {
		var st syscall.Statfs_t
		if err := syscall.Statfs(path, &st); err != nil {
			return 0, err
		}
		return uint64(st.Bavail) * uint64(st.Bsize), nil
	}
}
