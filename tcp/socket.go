package tcp

import (
	"net"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/dns"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

// Socket is QTcpSocket: a TCP connection with Qt's states, signals and
// buffers, event-driven on a loop or blocking without one. Its methods and
// signals are the socket engine's (socket.Engine, Qt's QAbstractSocket).
type Socket struct {
	*socket.Engine
}

// NewSocket makes an unconnected TCP socket. Options: socket.WithLoop,
// socket.WithParent, socket.WithName, socket.WithTransport,
// socket.WithLookup, socket.WithLogger.
func NewSocket(opts ...socket.Option) (*Socket, error) {
	return newSocket(settings(opts))
}

func settings(opts []socket.Option) socket.Settings {
	return socket.Resolve(opts, "tcp", dns.LookupFor)
}

func newSocket(s socket.Settings) (*Socket, error) {
	e, err := socket.NewObjectEngine(socket.TcpSocket, s)
	if err != nil {
		return nil, err
	}
	return &Socket{Engine: e}, nil
}

// SetConn adopts a connected net.Conn (Qt's setSocketDescriptor for a
// connection made elsewhere): the socket becomes ConnectedState and reads
// and writes it through its buffers.
func (s *Socket) SetConn(c net.Conn) error {
	if c == nil {
		return s.SetStream(nil, socket.ReadWrite)
	}
	if tc, ok := c.(*net.TCPConn); ok {
		return s.SetStream(netsock.FromTCPConn(tc), socket.ReadWrite)
	}
	return s.SetStream(transport.StreamFromConn(c), socket.ReadWrite)
}
