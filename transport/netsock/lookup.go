package netsock

import (
	"context"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// LookupHost resolves name to its addresses (IPv4 ones unmapped) with the
// transport's *net.Resolver. A literal address resolves to itself. An
// unknown name gives HostNotFoundError, a resolver timeout
// SocketTimeoutError; the cause is the *net.DNSError.
func (o *Transport) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	addrs, err := o.netResolver().LookupNetIP(ctx, "ip", name)
	if err != nil {
		return nil, transport.WrapError("lookup", name, err)
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}

// LookupAddr resolves addr to host names (PTR records).
func (o *Transport) LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error) {
	if !addr.IsValid() {
		return nil, transport.NewError(transport.HostNotFoundError, "lookup", addr.String(), "invalid address")
	}
	names, err := o.netResolver().LookupAddr(ctx, addr.Unmap().String())
	if err != nil {
		return nil, transport.WrapError("lookup", addr.String(), err)
	}
	return names, nil
}
