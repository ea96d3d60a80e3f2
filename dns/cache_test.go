package dns

import (
	"testing"
	"testing/synctest"
	"time"
)

// The cache's TTL, size bound, switch and clearing, over the in-memory
// network in virtual time, counted by the queries on the network.

func TestCacheExpiresAfter60s(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newMemWorld(t, time.Second)
		c := w.newClient(t) // the default cache: 60 s, as Qt
		c.FromName("a.test")
		n := w.count("a.test.")
		time.Sleep(59 * time.Second)
		if h := c.FromName("a.test"); addrs(h) != "10.0.0.1" || w.count("a.test.") != n {
			t.Errorf("after 59 s: %q, %d queries (want the cached answer, %d)", addrs(h), w.count("a.test."), n)
		}
		time.Sleep(time.Second)
		if h := c.FromName("a.test"); addrs(h) != "10.0.0.1" || w.count("a.test.") != 2*n {
			t.Errorf("after 60 s: %q, %d queries (want a new query, %d)", addrs(h), w.count("a.test."), 2*n)
		}
		if c.CacheLen() != 1 {
			t.Errorf("cache holds %d names, want the refreshed one", c.CacheLen())
		}
	})
}

func TestCacheSizeBoundEvictsOldest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newMemWorld(t, time.Second)
		c := w.newClient(t, WithCache(time.Hour, 2))
		for _, name := range []string{"a.test", "six.test", "both.test"} {
			c.FromName(name)
		}
		if c.CacheLen() != 2 {
			t.Fatalf("cache of 2 holds %d names", c.CacheLen())
		}
		a, six, both := w.count("a.test."), w.count("six.test."), w.count("both.test.")
		c.FromName("both.test")
		c.FromName("six.test")
		if w.count("six.test.") != six || w.count("both.test.") != both {
			t.Errorf("the two newest names were asked again")
		}
		c.FromName("a.test")
		if w.count("a.test.") == a {
			t.Errorf("the oldest name was not evicted")
		}
	})
}

func TestCacheOffAndClear(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newMemWorld(t, time.Second)
		for _, tc := range []struct {
			name string
			opt  Option
		}{
			{"WithoutCache", WithoutCache()},
			{"size 0", WithCache(time.Minute, 0)},
			{"TTL 0", WithCache(0, 128)},
		} {
			c := w.newClient(t, tc.opt)
			n := w.count("a.test.")
			c.FromName("a.test")
			c.FromName("a.test")
			if got := w.count("a.test.") - n; got != 4 || c.Queries() != 2 || c.CacheLen() != 0 {
				t.Errorf("%s: %d queries on the network (want 4), %d from the client, cache %d",
					tc.name, got, c.Queries(), c.CacheLen())
			}
		}

		c := w.newClient(t)
		c.FromName("a.test")
		c.FromName("nx.test")
		if c.CacheLen() != 1 {
			t.Errorf("cache holds %d names; want the answer, not the failure", c.CacheLen())
		}
		c.ClearCache()
		if c.CacheLen() != 0 {
			t.Errorf("ClearCache left %d names", c.CacheLen())
		}
		n := w.count("a.test.")
		c.FromName("a.test")
		if w.count("a.test.") == n {
			t.Error("a cleared name was answered without a query")
		}
	})
}
