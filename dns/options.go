package dns

import (
	"time"

	"github.com/slotnet/slotnet/transport"

	"go.uber.org/zap"
)

// Option configures a Client.
type Option func(*Client)

// WithResolver sets where lookups go (default: the OS transport's system
// resolver). Pass a transport.Transport to resolve through it (an
// in-memory network's Zone, for one) or a ServerResolver.
func WithResolver(r Resolver) Option { return func(c *Client) { c.resolver = r } }

// WithLogger sets the logger (default: none; failures are in HostInfo).
func WithLogger(l *zap.Logger) Option { return func(c *Client) { c.log = l } }

// WithCache sets the cache's TTL and size bound (default 60 s and 128
// names, as Qt); a size of 0 or less turns the cache off.
func WithCache(ttl time.Duration, size int) Option {
	return func(c *Client) { c.cacheTTL, c.cacheSize = ttl, size }
}

// WithoutCache turns the cache off: every lookup asks the resolver
// (concurrent lookups of one name still share one query).
func WithoutCache() Option { return WithCache(0, 0) }

// WithTimeout bounds each query to the resolver (default 30 s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithTransport resolves through t: the OS transport asks the system's
// resolver, an in-memory network its Zone (WithResolver(t)).
func WithTransport(t transport.Transport) Option { return WithResolver(t) }
