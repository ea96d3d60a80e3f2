package netsock

import (
	"net"

	"github.com/slotnet/slotnet/transport"
)

// FromTCPConn adopts a connected *net.TCPConn as a transport.Stream, with
// every socket option (what tcp.Socket.SetConn uses for OS connections).
func FromTCPConn(c *net.TCPConn) transport.Stream { return newOSStream(c) }
