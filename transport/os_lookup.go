package transport

import (
	"context"
	"net/netip"
)

// LookupHost resolves name to its addresses (IPv4 ones unmapped) with the
// transport's *net.Resolver. A literal address resolves to itself. An
// unknown name gives HostNotFoundError, a resolver timeout
// SocketTimeoutError; the cause is the *net.DNSError.
func (o *OS) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	addrs, err := o.netResolver().LookupNetIP(ctx, "ip", name)
	if err != nil {
		return nil, wrapError("lookup", name, err)
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}

// LookupAddr resolves addr to host names (PTR records).
func (o *OS) LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error) {
	if !addr.IsValid() {
		return nil, newError(HostNotFoundError, "lookup", addr.String(), "invalid address")
	}
	names, err := o.netResolver().LookupAddr(ctx, addr.Unmap().String())
	if err != nil {
		return nil, wrapError("lookup", addr.String(), err)
	}
	return names, nil
}
