package transport

import (
	"context"
	"net"
	"net/netip"
)

// NewResolver returns a *net.Resolver whose DNS queries go to server
// through t, whatever server the system is configured with: Go's own
// resolver (PreferGo) asks over UDP (a connected datagram socket from
// t.BindDatagram) and retries over TCP (t.Dial) when an answer is
// truncated. The resolver still reads the local hosts file and the
// options of the system's resolver configuration (search list, ndots,
// timeouts), so query fully-qualified names ("host.example.") to bypass
// the search list.
func NewResolver(t Transport, server netip.AddrPort) *net.Resolver {
	dial := DialContextFunc(t)
	target := netip.AddrPortFrom(server.Addr().Unmap(), server.Port()).String()
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dial(ctx, network, target)
		},
	}
}
