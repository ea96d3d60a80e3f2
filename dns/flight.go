package dns

import (
	"context"
	"net/netip"
	"slices"

	"go.uber.org/zap"
)

// flight is one query in progress; every lookup of its name that arrives
// meanwhile waits on it (singleflight) without a goroutine of its own.
type flight struct {
	waiters []*waiter
	cancel  context.CancelFunc
}

type waiter struct {
	done func([]netip.Addr, error)
}

// resolve calls done with the addresses of key (an ASCII name): at once
// from the cache, or when the query of key in flight (started now if none
// is) ends. The returned func stops the wait; the query is cancelled when
// nobody waits for it any more.
func (c *Client) resolve(key string, done func([]netip.Addr, error)) (stop func()) {
	if addrs, ok := c.cache.get(key); ok {
		done(addrs, nil)
		return func() {}
	}
	w := &waiter{done: done}
	c.mu.Lock()
	f := c.flights[key]
	if f == nil {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		f = &flight{cancel: cancel}
		c.flights[key] = f
		c.queries.Add(1)
		go c.fly(ctx, key, f)
	}
	f.waiters = append(f.waiters, w)
	c.mu.Unlock()
	return func() { c.leave(key, f, w) }
}

func (c *Client) leave(key string, f *flight, w *waiter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.Index(f.waiters, w)
	if i < 0 {
		return
	}
	f.waiters = slices.Delete(f.waiters, i, i+1)
	if len(f.waiters) == 0 && c.flights[key] == f {
		delete(c.flights, key)
		f.cancel()
	}
}

func (c *Client) fly(ctx context.Context, key string, f *flight) {
	defer f.cancel()
	addrs, err := c.resolver.LookupHost(ctx, key)
	if err == nil && len(addrs) == 0 {
		err = errHostNotFound
	}
	if err == nil {
		c.cache.put(key, addrs)
	} else {
		c.log.Debug("dns: lookup failed", zap.String("name", key), zap.Error(err))
	}
	c.mu.Lock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	ws := f.waiters
	f.waiters = nil
	c.mu.Unlock()
	for _, w := range ws {
		w.done(addrs, err)
	}
}
