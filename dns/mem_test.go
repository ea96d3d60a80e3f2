package dns

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// The lookup tests of lookup_test.go again, over the in-memory network
// under testing/synctest: the same names served by mem's DNS server, the
// queries counted as they enter the network, and every wait, timeout and
// retry in virtual time.

func TestMemLookups(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newMemWorld(t, time.Second)
		c := w.newClient(t)
		recv := newReceiver(t)
		for _, tc := range []struct {
			name, want string
			code       HostInfoError
			text       string
		}{
			{"a.test", "10.0.0.1", NoError, "Unknown error"},
			{"six.test", "2001:db8::6", NoError, "Unknown error"},
			{"alias.test", "10.0.0.1", NoError, "Unknown error"},
			{"bücher.test", "10.0.0.7", NoError, "Unknown error"},
			{"xn--bcher-kva.test", "10.0.0.7", NoError, "Unknown error"},
			{"nx.test", "", HostNotFound, "Host not found"},
			{"", "", HostNotFound, "No host name given"},
			{"10.9.8.7", "10.9.8.7", NoError, "Unknown error"},
			{"a..b", "", HostNotFound, "Invalid hostname"},
		} {
			h := lookupWait(t, c, recv, tc.name)
			if addrs(h) != tc.want || h.Error != tc.code || h.ErrorString != tc.text {
				t.Errorf("%q: %q %v %q, want %q %v %q", tc.name, addrs(h), h.Error, h.ErrorString, tc.want, tc.code, tc.text)
			}
		}
		if n := w.count("10.9.8.7.") + w.count("a..b."); n != 0 {
			t.Errorf("an IP literal or an invalid name sent %d queries", n)
		}
		h := lookupWait(t, c, recv, "big.test")
		if len(h.Addresses) != bigRecords || w.countOf("big.test. A udp") != 1 || w.countOf("big.test. A tcp") != 1 {
			t.Errorf("truncated answer: %d addresses, %d UDP and %d TCP queries", len(h.Addresses),
				w.countOf("big.test. A udp"), w.countOf("big.test. A tcp"))
		}
		h = lookupWait(t, c, recv, "fail.test")
		if h.Error != UnknownError || h.Err == nil {
			t.Errorf("SERVFAIL gave %v %q", h.Error, h.ErrorString)
		}
		if h := c.LookupAddr(context.Background(), mustAddr("10.0.0.1")); h.HostName != "a.test" {
			t.Errorf("reverse lookup: %q %v", h.HostName, h.Err)
		}
	})
}

func TestMemCacheAndSingleflight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newMemWorld(t, 2*time.Second)
		c := w.newClient(t)
		recv := newReceiver(t)
		lookupWait(t, c, recv, "both.test")
		n := w.count("both.test.")
		if n != 2 {
			t.Fatalf("%d queries for both.test, want A and AAAA", n)
		}
		if h := lookupWait(t, c, recv, "both.test"); addrs(h) == "" || w.count("both.test.") != n {
			t.Errorf("cached lookup: %q, queries %d → %d", addrs(h), n, w.count("both.test."))
		}
		if h := c.FromName("BOTH.test."); addrs(h) == "" || w.count("both.test.") != n {
			t.Errorf("FromName of the cached name in another spelling asked again")
		}
		c.ClearCache()
		lookupWait(t, c, recv, "both.test")
		if w.count("both.test.") != 2*n {
			t.Errorf("after ClearCache: %d queries, want %d", w.count("both.test."), 2*n)
		}

		// 50 concurrent lookups of a slow name share one query and all
		// answer when it does, 2 s later.
		start := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		got := map[string]int{}
		for range 50 {
			wg.Add(1)
			_, err := c.LookupHost("slow.test", recv, func(h HostInfo) {
				mu.Lock()
				got[addrs(h)]++
				mu.Unlock()
				wg.Done()
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		wg.Wait()
		if d := time.Since(start); d != 2*time.Second || got["10.0.0.9"] != 50 {
			t.Errorf("50 shared lookups: %v after %v", got, d)
		}
		if q := w.count("slow.test."); q != 2 || c.Queries() != 3 {
			t.Errorf("slow.test: %d queries on the network (want A and AAAA once); client %d (want 3)", q, c.Queries())
		}

		off := w.newClient(t, WithoutCache())
		m := w.count("a.test.")
		off.FromName("a.test")
		off.FromName("a.test")
		if got := w.count("a.test.") - m; got != 4 || off.Queries() != 2 || off.CacheLen() != 0 {
			t.Errorf("without cache: %d network queries (want 4), %d client queries", got, off.Queries())
		}
	})
}

func TestMemAbortAndTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newMemWorld(t, time.Hour)
		c := w.newClient(t, WithTimeout(3*time.Second))
		recv := newReceiver(t)
		called := make(chan HostInfo, 2)
		id, err := c.LookupHost("slow.test", recv, func(h HostInfo) { called <- h })
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AbortHostLookup(id); err != nil {
			t.Fatal(err)
		}
		doomed, err := newObjectOn(recv)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.LookupHost("slow.test", doomed, func(h HostInfo) { called <- h }); err != nil {
			t.Fatal(err)
		}
		doomed.Destroy()
		time.Sleep(time.Minute) // virtual: the query's timeout has long passed
		synctest.Wait()
		select {
		case h := <-called:
			t.Errorf("aborted or destroyed lookup's slot ran with %+v", h)
		default:
		}

		// The client's timeout ends a query the server never answers in time.
		start := time.Now()
		h := c.FromName("slow.test")
		if d := time.Since(start); d != 3*time.Second || h.Error != UnknownError || h.Err == nil {
			t.Errorf("timed out lookup after %v: %v %q", d, h.Error, h.ErrorString)
		}

		// A lookup's context ends it at its deadline: the slot gets UnknownError.
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		start = time.Now()
		ch := make(chan HostInfo, 1)
		if _, err := c.LookupHostContext(ctx, "slow.test", recv, func(h HostInfo) { ch <- h }); err != nil {
			t.Fatal(err)
		}
		h = <-ch
		if d := time.Since(start); d != 1500*time.Millisecond || h.Error != UnknownError ||
			!errors.Is(h.Err, context.DeadlineExceeded) {
			t.Errorf("lookup past its context's deadline, after %v: %v %v", d, h.Error, h.Err)
		}
	})
}

func TestMemLatencyAndLoss(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newMemWorld(t, time.Second)
		c := w.newClient(t, WithoutCache())
		w.both(mem.Faults{Latency: 25 * time.Millisecond})
		start := time.Now()
		if h := c.FromName("both.test"); addrs(h) != "10.0.0.2 2001:db8::2" && addrs(h) != "2001:db8::2 10.0.0.2" {
			t.Errorf("over a slow link: %q %q", addrs(h), h.ErrorString)
		}
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Errorf("A and AAAA in parallel over a 25 ms link took %v, want one round trip", d)
		}

		// Every query is lost for the first second: the resolver asks
		// again after its attempt times out, and the retry answers.
		w.n.Link(w.client, w.ns).SetFaults(mem.Faults{Latency: 25 * time.Millisecond, Loss: 1})
		time.AfterFunc(time.Second, func() { w.both(mem.Faults{Latency: 25 * time.Millisecond}) })
		start = time.Now()
		h := c.FromName("a.test")
		d := time.Since(start)
		if addrs(h) != "10.0.0.1" || w.lost("a.test.") != 2 || w.count("a.test.") != 4 {
			t.Errorf("after a lost query: %q %q; %d queries, %d lost (want 4, 2)", addrs(h), h.ErrorString,
				w.count("a.test."), w.lost("a.test."))
		}
		if d <= time.Second || d >= 30*time.Second {
			t.Errorf("the retry answered after %v", d)
		}

		// 30% loss both ways: lookups retry; each answers right or times
		// out, never wrongly, and the retries show on the network.
		w.both(mem.Faults{Latency: 10 * time.Millisecond, Loss: 0.3})
		ok, failed := 0, 0
		for range 20 {
			h := c.FromName("six.test")
			switch {
			case addrs(h) == "2001:db8::6":
				ok++
			case h.Error != NoError && len(h.Addresses) == 0:
				// Every attempt of a query lost: UnknownError (a
				// timeout), or HostNotFound when the A query answered
				// (six.test has none) and only the AAAA query's attempts
				// were lost, which Go's resolver reports as no such host.
				failed++
			default:
				t.Errorf("lossy lookup: %q %v %q", addrs(h), h.Error, h.ErrorString)
			}
		}
		sent, lost := w.count("six.test."), w.lost("six.test.")
		t.Logf("30%% loss: %d of 20 lookups answered, %d failed; %d queries sent, %d lost", ok, failed, sent, lost)
		if ok < 8 || lost == 0 || sent <= 40 {
			t.Errorf("30%% loss: %d answered, %d queries sent, %d lost", ok, sent, lost)
		}
	})
}

func TestMemHostInfoLongNameNoQuery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newMemWorld(t, time.Second)
		c := w.newClient(t)
		long := strings.Repeat("a.", 127) + "test"
		if h := c.FromName(long); h.ErrorString != "Host not found" || !errors.Is(h.Err, ErrInvalidName) {
			t.Errorf("over-long name: %q %v", h.ErrorString, h.Err)
		}
		if c.Queries() != 0 {
			t.Errorf("over-long name queried")
		}
	})
}
