package transport

import (
	"errors"
	"net"
	"net/netip"
)

// StreamFromConn adopts any connected net.Conn as a Stream: reads, writes,
// deadlines and Close go to c; CloseWrite works if c has one (as
// *net.TCPConn and *tls.Conn do); Abort closes; socket options are
// unsupported (UnsupportedSocketOperationError). Addresses come from c's
// LocalAddr and RemoteAddr when they are IP addresses. For a
// *net.TCPConn prefer netsock.FromTCPConn, which supports the options.
func StreamFromConn(c net.Conn) Stream { return &connStream{Conn: c} }

type connStream struct{ net.Conn }

func connAddrPort(a net.Addr) netip.AddrPort {
	switch a := a.(type) {
	case *net.TCPAddr:
		ap := a.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	case *net.UDPAddr:
		ap := a.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	case nil:
		return netip.AddrPort{}
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap
}

func (s *connStream) LocalAddrPort() netip.AddrPort  { return connAddrPort(s.LocalAddr()) }
func (s *connStream) RemoteAddrPort() netip.AddrPort { return connAddrPort(s.RemoteAddr()) }

func (s *connStream) SetOption(opt SocketOption, value int) error {
	return NewError(UnsupportedSocketOperationError, "setsockopt", "", "socket options need a TCP connection")
}

func (s *connStream) Option(opt SocketOption) (int, error) {
	return 0, NewError(UnsupportedSocketOperationError, "getsockopt", "", "socket options need a TCP connection")
}

func (s *connStream) CloseWrite() error {
	if cw, ok := s.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return NewError(UnsupportedSocketOperationError, "closewrite", "", "the connection cannot half-close")
}

func (s *connStream) Abort() error {
	err := s.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
