package udp

import (
	"net/netip"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/dns"
	"github.com/slotnet/slotnet/transport"
)

// Socket is QUdpSocket: the socket engine (states, signals, the virtual
// connection's Read and Write) and its datagram methods.
type Socket struct {
	*socket.Engine
	*socket.DatagramIO
}

// NewSocket makes an unbound UDP socket. Options: socket.WithLoop,
// socket.WithParent, socket.WithName, socket.WithTransport,
// socket.WithLookup, socket.WithLogger (its logger is named "udp").
func NewSocket(opts ...socket.Option) (*Socket, error) {
	e, err := socket.NewObjectEngine(socket.UdpSocket, socket.Resolve(opts, "udp", dns.LookupFor))
	if err != nil {
		return nil, err
	}
	return &Socket{Engine: e, DatagramIO: e.Datagrams()}, nil
}

// BindPort binds to port on every address (Qt's bind(port, mode): the
// dual-stack Any; the zero netip.Addr means it to Bind too).
func (s *Socket) BindPort(port int, mode transport.BindMode) error {
	return s.Bind(netip.Addr{}, port, mode)
}
