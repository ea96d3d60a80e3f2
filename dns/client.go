package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/transport"
)

// Client runs host-name lookups through one Resolver with one cache. Its
// methods are safe for concurrent use.
type Client struct {
	resolver  Resolver
	log       *zap.Logger
	cacheTTL  time.Duration
	cacheSize int
	timeout   time.Duration
	cache     *cache
	queries   atomic.Int64 // queries handed to the resolver

	mu      sync.Mutex
	nextID  int
	pending map[int]*lookup
	flights map[string]*flight
}

// lookup is an asynchronous lookup waiting for its result or its slot.
type lookup struct {
	receiver *core.Object
	slot     func(HostInfo)
	stop     func() // stops waiting for the query
	ctxStop  func() bool
}

// New returns a Client; see the options. Without WithResolver it fails
// with ErrNilResolver: use Default for the system's resolver.
func New(opts ...Option) (*Client, error) {
	c := &Client{log: zap.NewNop(), cacheTTL: 60 * time.Second, cacheSize: 128, timeout: 30 * time.Second,
		pending: make(map[int]*lookup), flights: make(map[string]*flight)}
	for _, o := range opts {
		o(c)
	}
	if c.resolver == nil {
		return nil, ErrNilResolver
	}
	if c.log == nil {
		c.log = zap.NewNop()
	}
	if c.cacheSize > 0 && c.cacheTTL > 0 {
		c.cache = newCache(c.cacheTTL, c.cacheSize)
	}
	return c, nil
}

// Queries returns how many queries the client has handed to its resolver
// (cache hits and lookups sharing a query in flight count none).
func (c *Client) Queries() int64 { return c.queries.Load() }

// ClearCache forgets every cached answer, as QHostInfo's cache clearing.
func (c *Client) ClearCache() { c.cache.clear() }

// CacheLen returns how many names the cache holds.
func (c *Client) CacheLen() int { return c.cache.len() }

// LookupHost is LookupHostContext without a context.
func (c *Client) LookupHost(name string, receiver *core.Object, slot func(HostInfo)) (int, error) {
	return c.LookupHostContext(context.Background(), name, receiver, slot)
}

// LookupHostContext starts looking up name, as QHostInfo::lookupHost, and
// returns the lookup's id. slot gets the HostInfo on receiver's loop,
// once, unless receiver is destroyed first or AbortHostLookup(id) is
// called; when ctx ends first the slot gets an UnknownError carrying
// ctx's error. An IP literal answers itself without a query, the empty
// name is HostNotFound. It fails (no id, no slot call) for a nil slot or
// receiver, a receiver without a loop, destroyed, or whose loop is closed.
func (c *Client) LookupHostContext(ctx context.Context, name string, receiver *core.Object, slot func(HostInfo)) (int, error) {
	switch {
	case slot == nil:
		return -1, ErrNilSlot
	case receiver == nil || receiver.Loop() == nil:
		return -1, ErrNoLoop
	case receiver.IsDestroyed():
		return -1, ErrDestroyed
	case receiver.Loop().IsClosed():
		return -1, ErrLoopClosed
	}
	l := &lookup{receiver: receiver, slot: slot, stop: func() {}}
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.pending[id] = l
	c.mu.Unlock()
	if info, key, done := immediate(name); done {
		c.deliver(id, info)
	} else {
		ctxStop := context.AfterFunc(ctx, func() {
			c.deliver(id, failed(name, UnknownError, ctx.Err().Error(), ctx.Err()))
		})
		stop := c.resolve(key, func(addrs []netip.Addr, err error) { c.deliver(id, result(name, addrs, err)) })
		c.mu.Lock()
		l.stop, l.ctxStop = stop, ctxStop
		c.mu.Unlock()
	}
	return id, nil
}

// deliver posts info to lookup id's slot; the lookup stays pending (so
// that AbortHostLookup still stops the slot) until the slot runs.
func (c *Client) deliver(id int, info HostInfo) {
	info.LookupID = id
	c.mu.Lock()
	l := c.pending[id]
	c.mu.Unlock()
	if l == nil {
		return
	}
	err := l.receiver.Loop().Post(func() {
		if c.take(id) != nil && !l.receiver.IsDestroyed() {
			l.slot(info)
		}
	})
	if err != nil {
		c.take(id)
		c.log.Warn("dns: lookup result dropped: the receiver's loop is closed",
			zap.Int("id", id), zap.String("name", info.HostName))
	}
}

// take removes lookup id from the pending ones and stops its waits.
func (c *Client) take(id int) *lookup {
	c.mu.Lock()
	l := c.pending[id]
	delete(c.pending, id)
	var stop, ctxStop = func() {}, func() bool { return false }
	if l != nil {
		stop = l.stop
		if l.ctxStop != nil {
			ctxStop = l.ctxStop
		}
	}
	c.mu.Unlock()
	stop()
	ctxStop()
	return l
}

// AbortHostLookup aborts lookup id, as QHostInfo::abortHostLookup: its
// slot is never called. An id that is not pending (unknown, delivered or
// aborted already) gives ErrUnknownID.
func (c *Client) AbortHostLookup(id int) error {
	if c.take(id) == nil {
		return fmt.Errorf("%w: %d", ErrUnknownID, id)
	}
	return nil
}

// FromName is FromNameContext without a context.
func (c *Client) FromName(name string) HostInfo { return c.FromNameContext(context.Background(), name) }

// FromNameContext looks name up and waits for the answer, as
// QHostInfo::fromName, sharing the cache and queries in flight with the
// asynchronous lookups. Its LookupID is -1.
func (c *Client) FromNameContext(ctx context.Context, name string) HostInfo {
	info, key, done := immediate(name)
	if done {
		return info
	}
	ch := make(chan HostInfo, 1)
	stop := c.resolve(key, func(addrs []netip.Addr, err error) { ch <- result(name, addrs, err) })
	select {
	case info = <-ch:
	case <-ctx.Done():
		stop()
		info = failed(name, UnknownError, ctx.Err().Error(), ctx.Err())
	}
	return info
}

// immediate answers what needs no query: an IP literal, the empty name,
// an invalid name. Otherwise it returns the ASCII name to ask for.
func immediate(name string) (HostInfo, string, bool) {
	if name == "" {
		return failed("", HostNotFound, qtNoHostName, ErrNoHostName), "", true
	}
	if a, err := parseLiteral(name); err == nil {
		return HostInfo{HostName: a.String(), Addresses: []transport.HostAddress{a},
			ErrorString: qtUnknownError, LookupID: -1}, "", true
	}
	key, text, err := asciiName(name)
	if err != nil {
		return failed(name, HostNotFound, text, err), "", true
	}
	return HostInfo{}, key, false
}

// result turns a resolver's answer into a HostInfo.
func result(name string, addrs []netip.Addr, err error) HostInfo {
	if err == nil {
		info := HostInfo{HostName: name, ErrorString: qtUnknownError, LookupID: -1}
		for _, a := range addrs {
			info.Addresses = append(info.Addresses, transport.HostAddressFrom(a))
		}
		return info
	}
	if notFound(err) {
		return failed(name, HostNotFound, qtHostNotFound, err)
	}
	return failed(name, UnknownError, err.Error(), err)
}

func notFound(err error) bool {
	var de *net.DNSError
	return errors.Is(err, errHostNotFound) || errors.Is(err, transport.HostNotFoundError) ||
		errors.As(err, &de) && de.IsNotFound
}

var errNotLiteral = errors.New("dns: not an IP literal")

// parseLiteral is transport.ParseHostAddress, except that it refuses at
// once, without building an error, a name that cannot be an address: one
// without ':' (so not IPv6) that has, before any NUL (where Qt's parser
// stops), a byte IPv4's forms (inet_aton's decimal, octal and 0x hex
// parts, with strtoul's sign, and surrounding white space) never use.
func parseLiteral(name string) (transport.HostAddress, error) {
	for i := 0; i < len(name) && name[i] != 0; i++ {
		c := name[i]
		if c == ':' {
			break
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == 'x' || c == 'X' ||
			c == '.' || c == '+' || c == '-' || c == ' ' || c >= '\t' && c <= '\r') {
			return transport.HostAddress{}, errNotLiteral
		}
	}
	return transport.ParseHostAddress(name)
}
