package dns

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

// newReceiver returns an object on a running loop, closed at the end.
func newReceiver(t *testing.T) *core.Object {
	t.Helper()
	loop := core.NewLoop()
	if err := loop.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = loop.Close() })
	o, err := core.NewObject(core.WithLoop(loop))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func serverClient(t *testing.T, s *testServer, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithResolver(ServerResolver(netsock.New(), s.addr)),
		WithLogger(zaptest.NewLogger(t))}, opts...)
	c, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// lookupWait runs an asynchronous lookup and waits for its slot, checking
// that the slot runs on the receiver's loop.
func lookupWait(t *testing.T, c *Client, recv *core.Object, name string) HostInfo {
	t.Helper()
	ch := make(chan HostInfo, 1)
	id, err := c.LookupHost(name, recv, func(h HostInfo) {
		if !recv.Loop().IsCurrent() {
			t.Error("slot ran off the receiver's loop")
		}
		ch <- h
	})
	if err != nil {
		t.Fatal(err)
	}
	h := <-ch
	if h.LookupID != id {
		t.Errorf("LookupID %d, want %d", h.LookupID, id)
	}
	return h
}

func addrs(h HostInfo) string {
	var s []string
	for _, a := range h.Addresses {
		s = append(s, a.String())
	}
	return strings.Join(s, " ")
}

func TestLookupAgainstServer(t *testing.T) {
	s := startServer(t)
	c := serverClient(t, s)
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
		{" ::1 ", "::1", NoError, "Unknown error"},
		{"a..b", "", HostNotFound, "Invalid hostname"},
		{strings.Repeat("a.", 130) + "test", "", HostNotFound, "Host not found"}, // as Qt
		{strings.Repeat("a", 64) + ".test", "", HostNotFound, "Invalid hostname"},
	} {
		h := lookupWait(t, c, recv, tc.name)
		if addrs(h) != tc.want || h.Error != tc.code || h.ErrorString != tc.text {
			t.Errorf("%.20q: %q %v %q, want %q %v %q", tc.name, addrs(h), h.Error, h.ErrorString, tc.want, tc.code, tc.text)
		}
	}
	if n := s.count("10.9.8.7."); n != 0 {
		t.Errorf("an IP literal sent %d queries", n)
	}
	h := lookupWait(t, c, recv, "big.test")
	if len(h.Addresses) != 40 || s.countOf("big.test. A tcp") != 1 {
		t.Errorf("truncated answer: %d addresses, %d TCP queries", len(h.Addresses), s.countOf("big.test. A tcp"))
	}
	h = lookupWait(t, c, recv, "fail.test")
	if h.Error != UnknownError || h.Err == nil {
		t.Errorf("SERVFAIL gave %v %q", h.Error, h.ErrorString)
	}
}

func TestCacheAndSingleflight(t *testing.T) {
	s := startServer(t)
	c := serverClient(t, s)
	recv := newReceiver(t)
	lookupWait(t, c, recv, "both.test")
	n := s.count("both.test.")
	if n == 0 {
		t.Fatal("no query reached the server")
	}
	if h := lookupWait(t, c, recv, "both.test"); addrs(h) == "" || s.count("both.test.") != n {
		t.Errorf("cached lookup: %q, queries %d → %d", addrs(h), n, s.count("both.test."))
	}
	if h := c.FromName("BOTH.test."); addrs(h) == "" || s.count("both.test.") != n {
		t.Errorf("FromName of the cached name in another spelling asked again: %d → %d", n, s.count("both.test."))
	}
	c.ClearCache()
	lookupWait(t, c, recv, "both.test")
	if s.count("both.test.") != 2*n {
		t.Errorf("after ClearCache: %d queries, want %d", s.count("both.test."), 2*n)
	}

	// 50 concurrent lookups of a slow name share one query.
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		if _, err := c.LookupHost("slow.test", recv, func(HostInfo) { wg.Done() }); err != nil {
			t.Fatal(err)
		}
	}
	<-s.slowIn // the shared query has reached the server
	s.unblock()
	wg.Wait()
	if c.Queries() != 3 {
		t.Errorf("client sent %d queries, want 3 (both×2, slow×1)", c.Queries())
	}

	off := serverClient(t, s, WithoutCache())
	m := s.count("a.test.")
	off.FromName("a.test")
	off.FromName("a.test")
	if got := s.count("a.test.") - m; got < 2 || off.Queries() != 2 || off.CacheLen() != 0 {
		t.Errorf("without cache: %d server queries, %d client queries", got, off.Queries())
	}
}

func TestAbortAndDestroyedReceiver(t *testing.T) {
	s := startServer(t)
	c := serverClient(t, s)
	recv := newReceiver(t)
	called := make(chan HostInfo, 2)
	id, err := c.LookupHost("slow.test", recv, func(h HostInfo) { called <- h })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AbortHostLookup(id); err != nil {
		t.Fatal(err)
	}
	if err := c.AbortHostLookup(id); !errors.Is(err, ErrUnknownID) {
		t.Errorf("second abort: %v", err)
	}
	if err := c.AbortHostLookup(12345); !errors.Is(err, ErrUnknownID) {
		t.Errorf("abort of an unknown id: %v", err)
	}
	doomed, err := core.NewObject(core.WithLoop(recv.Loop()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LookupHost("slow.test", doomed, func(h HostInfo) { called <- h }); err != nil {
		t.Fatal(err)
	}
	doomed.Destroy()
	ch := make(chan HostInfo, 1)
	if _, err := c.LookupHost("slow.test", recv, func(h HostInfo) { ch <- h }); err != nil {
		t.Fatal(err)
	}
	s.unblock()
	if h := <-ch; addrs(h) != "10.0.0.9" { // delivered after doomed's, on the same loop
		t.Errorf("slow.test: %q %q", addrs(h), h.ErrorString)
	}
	select {
	case h := <-called:
		t.Errorf("aborted or destroyed lookup's slot ran with %+v", h)
	default:
	}
}

func TestBadUse(t *testing.T) {
	s := startServer(t)
	c := serverClient(t, s)
	recv := newReceiver(t)
	if _, err := c.LookupHost("a.test", recv, nil); !errors.Is(err, ErrNilSlot) {
		t.Errorf("nil slot: %v", err)
	}
	blocking, _ := core.NewObject()
	if _, err := c.LookupHost("a.test", blocking, func(HostInfo) {}); !errors.Is(err, ErrNoLoop) {
		t.Errorf("receiver without loop: %v", err)
	}
	_ = recv.Loop().Close()
	if _, err := c.LookupHost("a.test", recv, func(HostInfo) {}); !errors.Is(err, ErrLoopClosed) {
		t.Errorf("closed loop: %v", err)
	}
	recv.Destroy()
	if _, err := c.LookupHost("a.test", recv, func(HostInfo) {}); !errors.Is(err, ErrDestroyed) {
		t.Errorf("destroyed receiver: %v", err)
	}
	if _, err := New(); !errors.Is(err, ErrNilResolver) {
		t.Errorf("New without resolver: %v", err)
	}
	h := c.FromName(strings.Repeat("x", 300))
	if !errors.Is(h.Err, ErrInvalidName) || h.Error != HostNotFound {
		t.Errorf("over-long name: %v %v", h.Error, h.Err)
	}
}

func TestContextAndReverse(t *testing.T) {
	s := startServer(t)
	c := serverClient(t, s)
	recv := newReceiver(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan HostInfo, 1)
	if _, err := c.LookupHostContext(ctx, "slow.test", recv, func(h HostInfo) { ch <- h }); err != nil {
		t.Fatal(err)
	}
	cancel()
	if h := <-ch; h.Error != UnknownError || !errors.Is(h.Err, context.Canceled) {
		t.Errorf("cancelled lookup: %v %v", h.Error, h.Err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if h := c.FromNameContext(ctx2, "slow.test"); !errors.Is(h.Err, context.Canceled) {
		t.Errorf("cancelled FromName: %v", h.Err)
	}
	s.unblock()
	if h := c.LookupAddr(context.Background(), transport.MustParseHostAddress("10.0.0.1")); h.HostName != "a.test" {
		t.Errorf("reverse lookup: %q %v", h.HostName, h.Err)
	}
	if addrs, err := c.ResolveHost(context.Background(), "a.test"); err != nil || len(addrs) != 1 {
		t.Errorf("ResolveHost: %v %v", addrs, err)
	}
	if _, err := c.ResolveHost(context.Background(), "nx.test"); err == nil {
		t.Error("ResolveHost of a missing name succeeded")
	}
}
