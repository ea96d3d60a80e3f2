package dns

import (
	"container/list"
	"net/netip"
	"sync"
	"time"
)

// cache keeps successful answers for a TTL, at most size names, evicting
// the least recently stored first (Qt keeps 128 names for 60 s).
type cache struct {
	mu    sync.Mutex
	ttl   time.Duration
	size  int
	order *list.List // of *entry, oldest at the front
	byKey map[string]*list.Element
}

type entry struct {
	key     string
	addrs   []netip.Addr
	expires time.Time
}

func newCache(ttl time.Duration, size int) *cache {
	return &cache{ttl: ttl, size: size, order: list.New(), byKey: make(map[string]*list.Element)}
}

func (c *cache) get(key string) ([]netip.Addr, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*entry)
	if !time.Now().Before(e.expires) {
		c.order.Remove(el)
		delete(c.byKey, key)
		return nil, false
	}
	return e.addrs, true
}

func (c *cache) put(key string, addrs []netip.Addr) {
	if c == nil || c.size <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.Remove(el)
	}
	c.byKey[key] = c.order.PushBack(&entry{key: key, addrs: addrs, expires: time.Now().Add(c.ttl)})
	for c.order.Len() > c.size {
		old := c.order.Remove(c.order.Front()).(*entry)
		delete(c.byKey, old.key)
	}
}

func (c *cache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.byKey)
}

func (c *cache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
