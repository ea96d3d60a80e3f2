package transport

import (
	"context"
	"errors"
	"net"
	"net/netip"
)

// Resolver is a *net.Resolver whose DNS queries go to one server through a
// Transport (see NewResolver). Its lookup methods are net.Resolver's, with
// one difference: a failed lookup's *net.DNSError names the server the
// query actually went to, not the system's configured nameserver that
// package net would name.
type Resolver struct {
	r      *net.Resolver
	server string
}

// NewResolver returns a Resolver whose DNS queries go to server through
// t, whatever server the system is configured with: Go's own resolver
// (PreferGo) asks over UDP (a connected datagram socket from
// t.BindDatagram) and retries over TCP (t.Dial) when an answer is
// truncated. The resolver still reads the local hosts file and the
// options of the system's resolver configuration (search list, ndots,
// timeouts), so query fully-qualified names ("host.example.") to bypass
// the search list.
func NewResolver(t Transport, server netip.AddrPort) *Resolver {
	dial := DialContextFunc(t)
	target := netip.AddrPortFrom(server.Addr().Unmap(), server.Port()).String()
	return &Resolver{
		server: target,
		r: &net.Resolver{
			PreferGo: true,
			Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dial(ctx, network, target)
			},
		},
	}
}

// Net returns the underlying *net.Resolver, for APIs that need that type
// (net.Dialer.Resolver, for one). Its errors name the system's configured
// nameserver, although the queries go to this Resolver's server.
func (r *Resolver) Net() *net.Resolver { return r.r }

// Server returns the address every query goes to.
func (r *Resolver) Server() string { return r.server }

// fix makes a *net.DNSError in err name the server the query went to.
func (r *Resolver) fix(err error) error {
	var de *net.DNSError
	if !errors.As(err, &de) || de.Server == r.server {
		return err
	}
	fixed := *de
	fixed.Server = r.server
	return &fixed
}

// LookupHost is net.Resolver.LookupHost.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	v, err := r.r.LookupHost(ctx, host)
	return v, r.fix(err)
}

// LookupNetIP is net.Resolver.LookupNetIP.
func (r *Resolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	v, err := r.r.LookupNetIP(ctx, network, host)
	return v, r.fix(err)
}

// LookupIP is net.Resolver.LookupIP.
func (r *Resolver) LookupIP(ctx context.Context, network, host string) ([]net.IP, error) {
	v, err := r.r.LookupIP(ctx, network, host)
	return v, r.fix(err)
}

// LookupIPAddr is net.Resolver.LookupIPAddr.
func (r *Resolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	v, err := r.r.LookupIPAddr(ctx, host)
	return v, r.fix(err)
}

// LookupAddr is net.Resolver.LookupAddr (PTR).
func (r *Resolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	v, err := r.r.LookupAddr(ctx, addr)
	return v, r.fix(err)
}

// LookupCNAME is net.Resolver.LookupCNAME.
func (r *Resolver) LookupCNAME(ctx context.Context, host string) (string, error) {
	v, err := r.r.LookupCNAME(ctx, host)
	return v, r.fix(err)
}

// LookupMX is net.Resolver.LookupMX.
func (r *Resolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	v, err := r.r.LookupMX(ctx, name)
	return v, r.fix(err)
}

// LookupNS is net.Resolver.LookupNS.
func (r *Resolver) LookupNS(ctx context.Context, name string) ([]*net.NS, error) {
	v, err := r.r.LookupNS(ctx, name)
	return v, r.fix(err)
}

// LookupSRV is net.Resolver.LookupSRV.
func (r *Resolver) LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error) {
	cname, v, err := r.r.LookupSRV(ctx, service, proto, name)
	return cname, v, r.fix(err)
}

// LookupTXT is net.Resolver.LookupTXT.
func (r *Resolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	v, err := r.r.LookupTXT(ctx, name)
	return v, r.fix(err)
}
