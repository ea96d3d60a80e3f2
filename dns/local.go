package dns

import (
	"bufio"
	"context"
	"net/netip"
	"os"
	"strings"
	"sync"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

// LookupAddr looks up the names of addr (a reverse, PTR lookup), as
// QHostInfo does for an address: HostName is the first name found, or the
// address's text when it has none (as Qt). Reverse answers are not cached.
func (c *Client) LookupAddr(ctx context.Context, addr transport.HostAddress) HostInfo {
	info := HostInfo{HostName: addr.String(), Addresses: []transport.HostAddress{addr},
		ErrorString: qtUnknownError, LookupID: -1}
	if addr.IsNull() {
		return failed("", HostNotFound, qtNoHostName, ErrNoHostName)
	}
	c.queries.Add(1)
	names, err := c.resolver.LookupAddr(ctx, addr.Addr())
	if err == nil && len(names) > 0 {
		info.HostName = strings.TrimSuffix(names[0], ".")
	}
	return info
}

var (
	defaultOnce   sync.Once
	defaultClient *Client
)

// Default returns the package's Client, which asks the system's resolver
// through the OS transport with the default cache; the package-level
// functions use it.
func Default() *Client {
	defaultOnce.Do(func() {
		defaultClient, _ = New(WithTransport(netsock.New()))
	})
	return defaultClient
}

// LookupHost is Default().LookupHost: QHostInfo::lookupHost.
func LookupHost(name string, receiver *core.Object, slot func(HostInfo)) (int, error) {
	return Default().LookupHost(name, receiver, slot)
}

// LookupHostContext is Default().LookupHostContext.
func LookupHostContext(ctx context.Context, name string, receiver *core.Object, slot func(HostInfo)) (int, error) {
	return Default().LookupHostContext(ctx, name, receiver, slot)
}

// AbortHostLookup is Default().AbortHostLookup: QHostInfo::abortHostLookup.
func AbortHostLookup(id int) error { return Default().AbortHostLookup(id) }

// FromName is Default().FromName: QHostInfo::fromName.
func FromName(name string) HostInfo { return Default().FromName(name) }

// FromNameContext is Default().FromNameContext.
func FromNameContext(ctx context.Context, name string) HostInfo {
	return Default().FromNameContext(ctx, name)
}

// ResolveHost returns the addresses of name through Default's cache and
// shared queries: what the tcp and udp packages call before connecting.
// An IP literal answers itself; failures carry Qt's HostNotFound text.
func ResolveHost(ctx context.Context, name string) ([]netip.Addr, error) {
	return Default().ResolveHost(ctx, name)
}

// ResolveHost is FromNameContext returning netip addresses and an error.
func (c *Client) ResolveHost(ctx context.Context, name string) ([]netip.Addr, error) {
	info := c.FromNameContext(ctx, name)
	if info.Error != NoError {
		return nil, info.Err
	}
	addrs := make([]netip.Addr, len(info.Addresses))
	for i, a := range info.Addresses {
		addrs[i] = a.Addr()
	}
	return addrs, nil
}

// LocalHostName returns this machine's host name, as
// QHostInfo::localHostName ("" if the system does not say).
func LocalHostName() string {
	h, _ := os.Hostname()
	return h
}

// LocalDomainName returns the DNS domain of this machine, as
// QHostInfo::localDomainName: the resolver configuration's "domain", or
// else the first "search" domain, or "".
func LocalDomainName() string { return domainFrom("/etc/resolv.conf") }

func domainFrom(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	search := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		switch fields[0] {
		case "domain":
			return fields[1]
		case "search":
			if search == "" {
				search = fields[1]
			}
		}
	}
	return search
}
