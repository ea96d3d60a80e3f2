package netsock

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"syscall"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"github.com/slotnet/slotnet/transport"
)

// errUnsupportedOS reports an option or operation this system lacks.
var errUnsupportedOS error = transport.UnsupportedSocketOperationError

// errReadOnly reports an attempt to set an option that can only be read.
var errReadOnly = errors.New("option is read-only")

// wrapSyscall names a failed system call, as package net does.
func wrapSyscall(name string, err error) error {
	if err == nil {
		return nil
	}
	return os.NewSyscallError(name, err)
}

// zoneID returns the interface index of an IPv6 address's zone, 0 if none.
func zoneID(a netip.Addr) uint32 {
	if a.Zone() == "" {
		return 0
	}
	if ifi, err := net.InterfaceByName(a.Zone()); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}

// setIfSupported sets an integer option when the system has it (name >= 0).
func setIfSupported(c syscall.RawConn, level, name, value int) error {
	if level < 0 || name < 0 {
		return nil
	}
	return setSockoptInt(c, level, name, value)
}

// bindControl returns a net.ListenConfig / net.Dialer Control function
// that applies a bind mode and buffer sizes before the socket binds.
// Stream listeners get SO_REUSEADDR from package net already; the
// exclusive mode clears it.
func bindControl(mode transport.BindMode, datagram bool, recvBuf, sendBuf int) func(string, string, syscall.RawConn) error {
	return func(_, _ string, c syscall.RawConn) error {
		if err := applyBindMode(c, mode, datagram); err != nil {
			return err
		}
		if recvBuf > 0 {
			if err := setIfSupported(c, solSocket, soRcvBuf, recvBuf); err != nil {
				return err
			}
		}
		if sendBuf > 0 {
			return setIfSupported(c, solSocket, soSndBuf, sendBuf)
		}
		return nil
	}
}

// applyBindMode maps Qt's bind flags onto SO_REUSEADDR / SO_REUSEPORT.
func applyBindMode(c syscall.RawConn, mode transport.BindMode, datagram bool) error {
	switch {
	case mode&transport.DontShareAddress != 0:
		return setIfSupported(c, solSocket, soReuseAddr, 0)
	case mode&transport.ShareAddress != 0:
		if err := setIfSupported(c, solSocket, soReuseAddr, 1); err != nil {
			return err
		}
		if datagram {
			return setIfSupported(c, solSocket, soReusePort, 1)
		}
		return nil
	case mode&transport.ReuseAddressHint != 0:
		return setIfSupported(c, solSocket, soReuseAddr, 1)
	}
	return nil
}

// bufferSetter is implemented by *net.TCPConn and *net.UDPConn.
type bufferSetter interface {
	SetReadBuffer(int) error
	SetWriteBuffer(int) error
}

// setIPOption sets the options that streams and datagram sockets share.
func setIPOption(c net.Conn, raw syscall.RawConn, v6 bool, opt transport.SocketOption, v int) error {
	switch opt {
	case transport.TypeOfServiceOption:
		if v6 {
			return ipv6.NewConn(c).SetTrafficClass(v)
		}
		return ipv4.NewConn(c).SetTOS(v)
	case transport.SendBufferSizeSocketOption:
		return c.(bufferSetter).SetWriteBuffer(v)
	case transport.ReceiveBufferSizeSocketOption:
		return c.(bufferSetter).SetReadBuffer(v)
	case transport.PathMtuSocketOption:
		return errReadOnly
	}
	return errUnsupportedOS
}

// ipOption reads the options that streams and datagram sockets share.
// Linux reports buffer sizes doubled (its bookkeeping overhead included).
func ipOption(c net.Conn, raw syscall.RawConn, v6 bool, opt transport.SocketOption) (int, error) {
	switch opt {
	case transport.TypeOfServiceOption:
		if v6 {
			return ipv6.NewConn(c).TrafficClass()
		}
		return ipv4.NewConn(c).TOS()
	case transport.SendBufferSizeSocketOption:
		return getSockoptInt(raw, solSocket, soSndBuf)
	case transport.ReceiveBufferSizeSocketOption:
		return getSockoptInt(raw, solSocket, soRcvBuf)
	case transport.PathMtuSocketOption:
		return pathMTU(raw, v6)
	}
	return 0, errUnsupportedOS
}

// boolInt converts a boolean option value to Qt's 0/1.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
