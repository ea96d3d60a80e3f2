package dns

import (
	"context"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// Resolver answers forward and reverse lookups. Every transport.Transport
// is one: the OS transport asks the system's resolver, the in-memory
// network its Zone. ServerResolver asks a given DNS server.
type Resolver interface {
	LookupHost(ctx context.Context, name string) ([]netip.Addr, error)
	LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error)
}

// ServerResolver returns a Resolver that asks the DNS server at server
// over t (UDP, retrying over TCP when an answer is truncated), whatever
// server the system is configured with; see transport.NewResolver.
// Attempts and timeouts follow the system resolver's options; bound a
// lookup as a whole with a context.
func ServerResolver(t transport.Transport, server netip.AddrPort) Resolver {
	return serverResolver{transport.NewResolver(t, server)}
}

type serverResolver struct{ r *transport.Resolver }

func (s serverResolver) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	if name[len(name)-1] != '.' {
		name += "." // fully qualified: bypass the system's search list
	}
	return s.r.LookupNetIP(ctx, "ip", name)
}

func (s serverResolver) LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error) {
	return s.r.LookupAddr(ctx, addr.String())
}
