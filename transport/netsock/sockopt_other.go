//go:build !unix

package netsock

import (
	"net/netip"
	"syscall"
)

// On systems other than Unix the raw option layer is not implemented; the
// options package net offers directly (no-delay, keep-alive, buffer sizes,
// type of service, multicast) still work, the rest report
// UnsupportedSocketOperationError.
const (
	solSocket   = -1
	soReuseAddr = -1
	soKeepAlive = -1
	soSndBuf    = -1
	soRcvBuf    = -1
	soBroadcast = -1
	ipprotoTCP  = -1
	tcpNoDelay  = -1
)

func setSockoptInt(c syscall.RawConn, level, name, value int) error {
	return errUnsupportedOS
}

func getSockoptInt(c syscall.RawConn, level, name int) (int, error) {
	return 0, errUnsupportedOS
}

func relisten(c syscall.RawConn, n int) error { return errUnsupportedOS }

func connectFD(c syscall.RawConn, remote netip.AddrPort, v6 bool) error {
	return errUnsupportedOS
}

// msgTrunc: truncation is not reported through recvmsg flags here.
const msgTrunc = 0
