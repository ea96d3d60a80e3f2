package dns

import (
	"context"
	"net/netip"
	"sync"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

var perTransport sync.Map // transport.Transport → *Client

// LookupFor returns the name lookup that sockets over t use by default:
// Default()'s for the operating system's transport, else one cached Client
// per transport (so lookups over an in-memory network ask its zone).
func LookupFor(t transport.Transport) func(ctx context.Context, name string) ([]netip.Addr, error) {
	if _, ok := t.(*netsock.Transport); ok || t == nil {
		return Default().ResolveHost
	}
	if c, ok := perTransport.Load(t); ok {
		return c.(*Client).ResolveHost
	}
	c, err := New(WithTransport(t))
	if err != nil {
		return t.LookupHost
	}
	actual, _ := perTransport.LoadOrStore(t, c)
	return actual.(*Client).ResolveHost
}
