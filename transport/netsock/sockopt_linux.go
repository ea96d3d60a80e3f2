package netsock

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// soReusePort lets several sockets bind one port; on Linux every one of
// them then receives the multicast and broadcast datagrams sent to it.
const soReusePort = unix.SO_REUSEPORT

// pathMTU reads the kernel's path MTU estimate of a connected socket.
func pathMTU(c syscall.RawConn, v6 bool) (int, error) {
	if v6 {
		return getSockoptInt(c, syscall.IPPROTO_IPV6, syscall.IPV6_MTU)
	}
	return getSockoptInt(c, syscall.IPPROTO_IP, syscall.IP_MTU)
}
