package dns

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// fakeResolver answers from a map, counting the names it is asked; a
// name in hold waits until release is closed.
type fakeResolver struct {
	mu      sync.Mutex // guards asked
	asked   map[string]int
	addrs   map[string][]netip.Addr
	hold    map[string]bool
	release chan struct{}
}

func newFake() *fakeResolver {
	return &fakeResolver{asked: map[string]int{}, hold: map[string]bool{}, release: make(chan struct{}),
		addrs: map[string][]netip.Addr{"xn--bcher-kva.test": {netip.MustParseAddr("10.0.0.7")},
			"a_b.test": {netip.MustParseAddr("10.0.0.8")}, "held.test": {netip.MustParseAddr("10.0.0.9")}}}
}

func (f *fakeResolver) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	f.mu.Lock()
	f.asked[name]++
	held := f.hold[name]
	f.mu.Unlock()
	if held {
		select {
		case <-f.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if a, ok := f.addrs[name]; ok {
		return a, nil
	}
	return nil, errHostNotFound
}

func (f *fakeResolver) LookupAddr(context.Context, netip.Addr) ([]string, error) { return nil, nil }

func (f *fakeResolver) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, v := range f.asked {
		n += v
	}
	return n
}

func fakeClient(t *testing.T, f *fakeResolver, opts ...Option) *Client {
	t.Helper()
	c, err := New(append([]Option{WithResolver(f)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBadNames: names that can never resolve fail at once with Qt's text
// and an error saying why, send no query, and never panic.
func TestBadNames(t *testing.T) {
	f := newFake()
	c := fakeClient(t, f)
	for _, tc := range []struct{ name, text, why string }{
		{strings.Repeat("a.", 127) + "test", "Host not found", "258 characters, more than 253"},
		{strings.Repeat("abcdefghij.", 23) + "abcdefghi", "Host not found", "more than 253"}, // 262
		{strings.Repeat("a", 64) + ".test", "Invalid hostname", "1 to 63 characters"},
		{strings.Repeat("a", 100000), "Invalid hostname", "1 to 63 characters"},
		{"a..b", "Invalid hostname", "label \"\""},
		{".", "Invalid hostname", "label \"\""},
		{"..", "Invalid hostname", "label \"\""},
		{".a", "Invalid hostname", "label \"\""},
		{"-a.test", "Invalid hostname", "invalid label"},
		{"a-.test", "Invalid hostname", "invalid label"},
		{"exa mple.test", "Invalid hostname", "only letters, digits"},
		{"a\x00b.test", "Invalid hostname", "only letters, digits"},
		{"a/b", "Invalid hostname", "only letters, digits"},
		{"a\xffb", "Invalid hostname", "not UTF-8"},
		{"xn--zz.test", "Invalid hostname", "invalid label"},
		{"\u202ea.test", "Invalid hostname", ""},
	} {
		h := c.FromName(tc.name)
		if h.Error != HostNotFound || h.ErrorString != tc.text || !errors.Is(h.Err, ErrInvalidName) ||
			!strings.Contains(h.Err.Error(), tc.why) || len(h.Addresses) != 0 || h.LookupID != -1 {
			t.Errorf("%.40q: %v %q %v", tc.name, h.Error, h.ErrorString, h.Err)
		}
	}
	if f.total() != 0 {
		t.Errorf("bad names sent %d queries", f.total())
	}
	// 253 characters is the longest name, and it is asked.
	if h := c.FromName(strings.Repeat("a.", 125) + "abc"); h.ErrorString != "Host not found" || errors.Is(h.Err, ErrInvalidName) {
		t.Errorf("a 253-character name: %q %v", h.ErrorString, h.Err)
	}
	if h := c.FromName("a_b.test"); addrs(h) != "10.0.0.8" {
		t.Errorf("a name with '_' (Qt asks for it): %q %v", addrs(h), h.Err)
	}
}

// TestIDNSpellingsShareOneQuery: Unicode and punycode spellings, in any
// case and with a root dot, are one name: one query, one cache entry.
func TestIDNSpellingsShareOneQuery(t *testing.T) {
	f := newFake()
	c := fakeClient(t, f)
	for _, name := range []string{"bücher.test", "BÜCHER.test", "xn--bcher-kva.test", "XN--BCHER-KVA.TEST.", "bu\u0308cher.test"} {
		if h := c.FromName(name); addrs(h) != "10.0.0.7" || h.HostName != name {
			t.Errorf("%q: %q, HostName %q", name, addrs(h), h.HostName)
		}
	}
	if f.asked["xn--bcher-kva.test"] != 1 || f.total() != 1 || c.CacheLen() != 1 {
		t.Errorf("5 spellings asked %v, cache %d", f.asked, c.CacheLen())
	}
}

// TestMisuseIsAnError: bad calls return errors, never panic.
func TestMisuseIsAnError(t *testing.T) {
	f := newFake()
	c := fakeClient(t, f)
	for _, id := range []int{0, -1, 1, 1 << 40} {
		if err := c.AbortHostLookup(id); !errors.Is(err, ErrUnknownID) {
			t.Errorf("abort of unknown id %d: %v", id, err)
		}
	}
	if err := AbortHostLookup(-7); !errors.Is(err, ErrUnknownID) {
		t.Errorf("package-level abort of an unknown id: %v", err)
	}
	if _, err := c.LookupHost("a.test", nil, func(HostInfo) {}); !errors.Is(err, ErrNoLoop) {
		t.Errorf("nil receiver: %v", err)
	}
	if _, err := New(WithResolver(nil)); !errors.Is(err, ErrNilResolver) {
		t.Errorf("nil resolver: %v", err)
	}
}

// TestLoopClosedWhileLookingUp: the receiver's loop closes while its
// lookup waits; the answer is dropped with a warning, the slot never
// runs, and the id is no longer pending.
func TestLoopClosedWhileLookingUp(t *testing.T) {
	f := newFake()
	f.hold["held.test"] = true
	obs, logs := observer.New(zap.WarnLevel)
	c := fakeClient(t, f, WithLogger(zap.New(obs)))
	recv := newReceiver(t)
	called := make(chan struct{}, 1)
	id, err := c.LookupHost("held.test", recv, func(HostInfo) { called <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	// A second lookup shares the query; its result is delivered after
	// the first one's, by the same goroutine.
	other := newReceiver(t)
	done := make(chan HostInfo, 1)
	if _, err := c.LookupHost("held.test", other, func(h HostInfo) { done <- h }); err != nil {
		t.Fatal(err)
	}
	_ = recv.Loop().Close()
	close(f.release)
	if h := <-done; addrs(h) != "10.0.0.9" {
		t.Errorf("the lookup sharing the query: %q %v", addrs(h), h.Err)
	}
	select {
	case <-called:
		t.Error("slot ran on a closed loop")
	default:
	}
	if err := c.AbortHostLookup(id); !errors.Is(err, ErrUnknownID) {
		t.Errorf("the dropped lookup is still pending: %v", err)
	}
	if logs.FilterMessageSnippet("loop is closed").Len() != 1 {
		t.Errorf("no warning for the dropped result: %v", logs.All())
	}
	if _, err := c.LookupHost("held.test", recv, func(HostInfo) {}); !errors.Is(err, ErrLoopClosed) {
		t.Errorf("lookup for a closed loop: %v", err)
	}
}
