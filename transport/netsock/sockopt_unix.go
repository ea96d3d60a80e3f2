//go:build unix

package netsock

import (
	"net/netip"
	"syscall"
)

// Socket-level constants of the system, named once so that the option code
// above them stays portable.
const (
	solSocket   = syscall.SOL_SOCKET
	soReuseAddr = syscall.SO_REUSEADDR
	soKeepAlive = syscall.SO_KEEPALIVE
	soSndBuf    = syscall.SO_SNDBUF
	soRcvBuf    = syscall.SO_RCVBUF
	soBroadcast = syscall.SO_BROADCAST
	ipprotoTCP  = syscall.IPPROTO_TCP
	tcpNoDelay  = syscall.TCP_NODELAY
)

// setSockoptInt sets an integer socket option on c's descriptor.
func setSockoptInt(c syscall.RawConn, level, name, value int) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), level, name, value)
	})
	if err != nil {
		return err
	}
	return wrapSyscall("setsockopt", serr)
}

// getSockoptInt reads an integer socket option from c's descriptor.
func getSockoptInt(c syscall.RawConn, level, name int) (int, error) {
	var v int
	var serr error
	err := c.Control(func(fd uintptr) {
		v, serr = syscall.GetsockoptInt(int(fd), level, name)
	})
	if err != nil {
		return 0, err
	}
	return v, wrapSyscall("getsockopt", serr)
}

// relisten calls listen(2) again on a listening socket, which sets its
// backlog to n (Linux and the BSDs accept a second listen for this).
func relisten(c syscall.RawConn, n int) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.Listen(int(fd), n)
	})
	if err != nil {
		return err
	}
	return wrapSyscall("listen", serr)
}

// connectFD connects a datagram socket's descriptor to remote. v6 says
// whether the socket is AF_INET6 (an IPv4 peer is then v4-mapped).
func connectFD(c syscall.RawConn, remote netip.AddrPort, v6 bool) error {
	var sa syscall.Sockaddr
	addr := remote.Addr().Unmap()
	switch {
	case v6:
		sa = &syscall.SockaddrInet6{Port: int(remote.Port()), Addr: addr.As16(), ZoneId: zoneID(addr)}
	case addr.Is4():
		sa = &syscall.SockaddrInet4{Port: int(remote.Port()), Addr: addr.As4()}
	default:
		return syscall.EAFNOSUPPORT
	}
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.Connect(int(fd), sa)
	})
	if err != nil {
		return err
	}
	return wrapSyscall("connect", serr)
}

// msgTrunc is recvmsg's flag for a datagram longer than the buffer.
const msgTrunc = syscall.MSG_TRUNC
