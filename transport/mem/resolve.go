package mem

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// LookupHost resolves name to addresses:
//  1. an IP address literal is returned as is;
//  2. "localhost" (and names under .localhost) is 127.0.0.1 and ::1;
//  3. a name the network's zone knows (records or a failure mode) is
//     answered by the zone after the name's latency, following CNAMEs;
//  4. a network host's name gives that host's addresses, like a hosts file;
//  5. anything else does not exist (after the zone's default latency when
//     the network has a zone).
//
// Errors are *transport.Error values whose cause is a *net.DNSError: a
// name that does not exist (NXDOMAIN) or has no addresses, and a failing
// server (SERVFAIL, a CNAME loop), give HostNotFoundError, which is what a
// Qt socket reports for any failed lookup (the DNSError tells them apart:
// IsNotFound, IsTemporary). A silent server (NoAnswer) or the end of ctx's
// deadline give SocketTimeoutError (IsTimeout); a cancelled ctx gives
// OperationError wrapping context.Canceled.
func (h *Host) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	if h.net.Closed() {
		return nil, refused("lookup", name)
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")); err == nil {
		return []netip.Addr{a}, nil
	}
	n, err := canonicalName(name)
	if err != nil {
		return nil, lookupErr(name, notFound(name))
	}
	if n == "localhost" || strings.HasSuffix(n, ".localhost") {
		return []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1}), netip.IPv6Loopback()}, nil
	}
	r := h.net.resolve(n)
	if err := r.await(ctx, name); err != nil {
		return nil, err
	}
	if len(r.addrs) == 0 {
		return nil, lookupErr(name, notFound(name))
	}
	return r.addrs, nil
}

// LookupAddr resolves addr to names (without a trailing dot): the zone's
// PTR records, else the zone's names holding the address, else
// "localhost" for a loopback address, else the name of the network host
// owning it. Errors are as for LookupHost.
func (h *Host) LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error) {
	if h.net.Closed() {
		return nil, refused("lookup", addr.String())
	}
	if !addr.IsValid() {
		return nil, lookupErr("", notFound(""))
	}
	r := h.net.reverse(addr)
	if err := r.await(ctx, addr.String()); err != nil {
		return nil, err
	}
	if len(r.names) == 0 {
		return nil, lookupErr(addr.String(), notFound(addr.String()))
	}
	return r.names, nil
}

// resolve answers a forward query: the zone, then, for a name the zone
// gives no addresses (or the end of a CNAME chain), the network's host
// names.
func (n *Network) resolve(name string) result {
	r := result{final: name}
	if z := n.zoneIfAny(); z != nil {
		r = z.resolve(name)
	}
	if r.failure == Answer && len(r.addrs) == 0 {
		if h := n.hostByName(r.final); h != nil {
			if !r.known {
				r.latency = 0 // a hosts file answers at once
			}
			r.known, r.addrs = true, h.Addrs()
		}
	}
	return r
}

// reverse answers a PTR query: the zone, else loopback, else the host
// owning addr.
func (n *Network) reverse(addr netip.Addr) result {
	var r result
	if z := n.zoneIfAny(); z != nil {
		if r = z.reverse(addr); r.known {
			return r
		}
	}
	a := addr.Unmap()
	n.mu.Lock()
	h := n.byAddr[a]
	n.mu.Unlock()
	switch {
	case a.IsLoopback():
		r.names = []string{"localhost"}
	case h != nil:
		r.names = []string{h.name}
	default:
		return r
	}
	r.known, r.latency = true, 0 // a hosts file answers at once
	return r
}

// hostByName finds a host by name, case-insensitively.
func (n *Network) hostByName(name string) *Host {
	for _, h := range n.Hosts() {
		if strings.EqualFold(h.name, name) {
			return h
		}
	}
	return nil
}

// await waits out the answer's latency (or, for a silent server, its
// timeout) and turns its failure into an error.
func (r *result) await(ctx context.Context, name string) error {
	wait := r.latency
	if r.failure == NoAnswer {
		wait = r.timeout
	}
	if err := waitCtx(ctx, wait); err != nil {
		return ctxLookupErr(name, err)
	}
	switch r.failure {
	case NXDomain:
		return lookupErr(name, notFound(name))
	case ServFail:
		return lookupErr(name, &net.DNSError{Err: "server misbehaving", Name: name, Server: dnsServerName, IsTemporary: true})
	case NoAnswer:
		return transport.TimeoutError("lookup", name,
			&net.DNSError{Err: "i/o timeout", Name: name, Server: dnsServerName, IsTimeout: true, IsTemporary: true})
	}
	return nil
}

// dnsServerName is the Server of the DNSErrors the zone's lookups return.
const dnsServerName = "mem"

func notFound(name string) *net.DNSError {
	return &net.DNSError{Err: "no such host", Name: name, Server: dnsServerName, IsNotFound: true}
}

func lookupErr(name string, cause *net.DNSError) error {
	return &transport.Error{Code: transport.HostNotFoundError, Op: "lookup", Addr: name, Err: cause}
}

func ctxLookupErr(name string, err error) error {
	cause := &net.DNSError{Err: err.Error(), Name: name, Server: dnsServerName, UnwrapErr: err}
	if errors.Is(err, context.DeadlineExceeded) {
		cause.IsTimeout, cause.IsTemporary = true, true
		return transport.TimeoutError("lookup", name, cause)
	}
	return &transport.Error{Code: transport.OperationError, Op: "lookup", Addr: name, Err: cause}
}

// waitCtx waits d, or until ctx ends (its error). d <= 0 only checks ctx.
func waitCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
