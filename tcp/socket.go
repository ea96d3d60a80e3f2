package tcp

import (
	"net"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

// Socket is QTcpSocket: a TCP connection with Qt's states, signals and
// buffers, event-driven on a loop or blocking without one. Its methods and
// signals are the socket engine's (socket.Engine, Qt's QAbstractSocket).
type Socket struct {
	*socket.Engine
}

// NewSocket makes an unconnected TCP socket.
func NewSocket(opts ...Option) (*Socket, error) {
	c := newConfig(opts)
	return newSocket(c)
}

func newSocket(c config) (*Socket, error) {
	obj, err := core.NewObject(c.objOpts...)
	if err != nil {
		return nil, err
	}
	e, err := socket.New(obj, socket.Config{
		Type: socket.TcpSocket, Transport: c.transport, Lookup: c.lookup, Logger: c.logger,
	})
	if err != nil {
		obj.Destroy()
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
