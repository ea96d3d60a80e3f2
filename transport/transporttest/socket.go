package transporttest

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// TestSocket checks the transport.Socket view that the socket engine uses
// for both kinds of socket: one function, given a stream or a datagram
// socket as a transport.Socket, reads its addresses, sets and reads an
// option, sets deadlines and closes it.
func TestSocket(t *testing.T, env Env) {
	runChecks(t, env, "Socket", []check{
		{"Stream", checkSocketStream},
		{"Datagram", checkSocketDatagram},
	})
}

// socketTOS is a type-of-service value that both IPv4 and IPv6 sockets
// keep as set (DSCP CS1, no ECN bits).
const socketTOS = 0x20

// exerciseSocket drives s through the Socket interface only and reports
// each mismatch with what.
func (c *C) exerciseSocket(what string, s transport.Socket, local, remote netip.AddrPort) {
	c.T.Helper()
	if got := s.LocalAddrPort(); got != local || got.Port() == 0 {
		c.T.Errorf("%s: LocalAddrPort = %v, want %v with a non-zero port", what, got, local)
	}
	if got := s.RemoteAddrPort(); got != remote {
		c.T.Errorf("%s: RemoteAddrPort = %v, want %v", what, got, remote)
	}
	if err := s.SetOption(transport.TypeOfServiceOption, socketTOS); err != nil {
		c.T.Errorf("%s: SetOption(TypeOfServiceOption): %v", what, err)
	} else if v, err := s.Option(transport.TypeOfServiceOption); err != nil || v != socketTOS {
		c.T.Errorf("%s: Option(TypeOfServiceOption) = %d, %v; want %d", what, v, err, socketTOS)
	}
	far := time.Now().Add(time.Hour)
	for name, set := range map[string]func(time.Time) error{
		"SetDeadline": s.SetDeadline, "SetReadDeadline": s.SetReadDeadline, "SetWriteDeadline": s.SetWriteDeadline,
	} {
		if err := set(far); err != nil {
			c.T.Errorf("%s: %s: %v", what, name, err)
		}
	}
	if err := s.Close(); err != nil {
		c.T.Errorf("%s: Close: %v", what, err)
	}
	c.wantClosed(s.Close(), fmt.Sprintf("%s: second Close", what))
}

// checkSocketStream: both ends of a stream, as Sockets, report each other.
func checkSocketStream(c *C) {
	client, server := c.Pair()
	local, remote := client.LocalAddrPort(), server.LocalAddrPort()
	c.exerciseSocket("server stream", server, remote, local)
	c.exerciseSocket("client stream", client, local, remote)
}

// checkSocketDatagram: a datagram socket as a Socket has no peer until
// Connect, then the connected one.
func checkSocketDatagram(c *C) {
	recv, send := c.datagramPair()
	c.exerciseSocket("unconnected datagram", recv, recv.LocalAddrPort(), netip.AddrPort{})
	if err := send.Connect(netip.AddrPortFrom(c.Sys.ServerAddr, 9)); err != nil {
		c.T.Fatalf("Connect: %v", err)
	}
	c.exerciseSocket("connected datagram", send, send.LocalAddrPort(), netip.AddrPortFrom(c.Sys.ServerAddr, 9))
}
