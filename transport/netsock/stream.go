package netsock

import (
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// osStream is a Stream over a *net.TCPConn. Its errors are *Error values,
// except a Read at end of stream, which returns a plain io.EOF.
type osStream struct {
	conn   *net.TCPConn
	raw    syscall.RawConn // nil if the descriptor could not be reached
	local  netip.AddrPort
	remote netip.AddrPort
}

var _ transport.Stream = (*osStream)(nil)

func newOSStream(c *net.TCPConn) *osStream {
	s := &osStream{
		conn:   c,
		local:  tcpAddrPort(c.LocalAddr()),
		remote: tcpAddrPort(c.RemoteAddr()),
	}
	s.raw, _ = c.SyscallConn()
	return s
}

// tcpAddrPort converts a *net.TCPAddr to an unmapped netip.AddrPort.
func tcpAddrPort(a net.Addr) netip.AddrPort {
	if ta, ok := a.(*net.TCPAddr); ok {
		return unmapAddrPort(ta.AddrPort())
	}
	return netip.AddrPort{}
}

func (s *osStream) fail(op string, err error) error {
	if err == nil {
		return nil // the common case: no address text to build
	}
	return transport.WrapError(op, s.remote.String(), err)
}

// Read reads from the stream; io.EOF (unwrapped) once the peer has closed
// its sending side and every byte has been read.
func (s *osStream) Read(b []byte) (int, error) {
	n, err := s.conn.Read(b)
	return n, s.fail("read", err)
}

// Write writes b to the stream.
func (s *osStream) Write(b []byte) (int, error) {
	n, err := s.conn.Write(b)
	return n, s.fail("write", err)
}

// Close closes the stream, unblocking every pending Read and Write.
func (s *osStream) Close() error { return s.fail("close", s.conn.Close()) }

// CloseWrite sends end-of-stream to the peer and keeps reading.
func (s *osStream) CloseWrite() error { return s.fail("closewrite", s.conn.CloseWrite()) }

// Abort discards unsent data and resets the connection (SO_LINGER 0).
func (s *osStream) Abort() error {
	if err := s.conn.SetLinger(0); err != nil {
		return s.fail("abort", err)
	}
	return s.fail("abort", s.conn.Close())
}

// LocalAddr returns the local address as a *net.TCPAddr.
func (s *osStream) LocalAddr() net.Addr { return s.conn.LocalAddr() }

// RemoteAddr returns the peer's address as a *net.TCPAddr.
func (s *osStream) RemoteAddr() net.Addr { return s.conn.RemoteAddr() }

// LocalAddrPort returns the local address, IPv4 unmapped.
func (s *osStream) LocalAddrPort() netip.AddrPort { return s.local }

// RemoteAddrPort returns the peer's address, IPv4 unmapped.
func (s *osStream) RemoteAddrPort() netip.AddrPort { return s.remote }

// SetDeadline sets the read and write deadlines.
func (s *osStream) SetDeadline(t time.Time) error {
	return s.fail("set deadline", s.conn.SetDeadline(t))
}

// SetReadDeadline sets the deadline for Read.
func (s *osStream) SetReadDeadline(t time.Time) error {
	return s.fail("set deadline", s.conn.SetReadDeadline(t))
}

// SetWriteDeadline sets the deadline for Write.
func (s *osStream) SetWriteDeadline(t time.Time) error {
	return s.fail("set deadline", s.conn.SetWriteDeadline(t))
}

// SetOption sets one of Qt's socket options. Multicast options do not
// apply to streams (UnsupportedSocketOperationError).
func (s *osStream) SetOption(opt transport.SocketOption, value int) error {
	var err error
	switch opt {
	case transport.LowDelayOption:
		err = s.conn.SetNoDelay(value != 0)
	case transport.KeepAliveOption:
		err = s.conn.SetKeepAlive(value != 0)
	default:
		err = setIPOption(s.conn, s.raw, s.remote.Addr().Is6(), opt, value)
	}
	return s.fail("setsockopt", err)
}

// Option reads one of Qt's socket options; boolean options read 0 or 1.
func (s *osStream) Option(opt transport.SocketOption) (int, error) {
	var v int
	var err error
	switch opt {
	case transport.LowDelayOption:
		v, err = getSockoptInt(s.raw, ipprotoTCP, tcpNoDelay)
		v = boolInt(v != 0)
	case transport.KeepAliveOption:
		v, err = getSockoptInt(s.raw, solSocket, soKeepAlive)
		v = boolInt(v != 0)
	default:
		v, err = ipOption(s.conn, s.raw, s.remote.Addr().Is6(), opt)
	}
	return v, s.fail("getsockopt", err)
}
