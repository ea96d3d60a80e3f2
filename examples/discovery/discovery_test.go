package discovery_test

import (
	"fmt"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/discovery"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

const gib = 1 << 30

// freeOf is simulated host i's free space: distinct, in no order.
func freeOf(i int) uint64 { return uint64((i*7)%12+1) * gib }

func startLoop(t testing.TB) *core.Loop {
	t.Helper()
	l := core.NewLoop()
	require.NoError(t, l.Start())
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// A dozen hosts on one segment answer a broadcast; the asker hears all of
// them, within the window, and picks the one with the most free space. A
// host on another segment does not hear the broadcast.
func TestDozenHostsOverMem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(3))
		host := func(name, a string) *mem.Host {
			return n.MustAddHost(name, mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix(a + "/24")}})
		}
		l := startLoop(t)
		var rs []*discovery.Responder
		want := map[string]uint64{}
		require.NoError(t, l.Invoke(func() {
			for i := range 12 {
				name := fmt.Sprintf("host%02d", i+1)
				h := host(name, fmt.Sprintf("10.0.0.%d", i+1))
				r, err := discovery.NewResponder(l, name, discovery.Fixed(freeOf(i)), netip.IPv4Unspecified(), discovery.Port, socket.WithTransport(h))
				require.NoError(t, err)
				rs = append(rs, r)
				want[name] = freeOf(i)
			}
			far, err := discovery.NewResponder(l, "far", discovery.Fixed(100*gib), netip.IPv4Unspecified(), discovery.Port,
				socket.WithTransport(host("far", "10.0.1.1")))
			require.NoError(t, err)
			rs = append(rs, far)
		}))
		done := make(chan discovery.Result, 1)
		var a *discovery.Asker
		start := time.Now()
		require.NoError(t, l.Invoke(func() {
			var err error
			a, err = discovery.NewAsker(l, discovery.AskConfig{Window: 500 * time.Millisecond}, socket.WithTransport(host("asker", "10.0.0.100")))
			require.NoError(t, err)
			_, _ = a.Done.Connect(func(r discovery.Result) { done <- r })
			require.NoError(t, a.Ask())
		}))
		res := <-done
		assert.Equal(t, 500*time.Millisecond, time.Since(start), "Done comes when the window ends (virtual time)")
		got := map[string]uint64{}
		for _, ans := range res.Answers {
			got[ans.Host] = ans.Free
			assert.Equal(t, discovery.Port, int(ans.From.Port()))
		}
		assert.Equal(t, want, got)
		require.True(t, res.Found)
		assert.Equal(t, "host06", res.Best.Host) // (5*7)%12+1 = 12 GiB
		assert.Equal(t, uint64(12*gib), res.Best.Free)
		assert.Equal(t, netip.MustParseAddrPort("10.0.0.6:45455"), res.Best.From)
		require.NoError(t, l.Invoke(func() {
			a.Close()
			for _, r := range rs {
				r.Close()
			}
		}))
	})
}

// With Expect the window ends at the last answer; with nobody there it
// ends empty.
func TestExpectAndNobody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New(mem.WithSeed(1))
		h1 := n.MustAddHost("h1", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		h2 := n.MustAddHost("h2", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		l := startLoop(t)
		done := make(chan discovery.Result, 1)
		var a *discovery.Asker
		require.NoError(t, l.Invoke(func() {
			var err error
			a, err = discovery.NewAsker(l, discovery.AskConfig{Window: time.Hour}, socket.WithTransport(h2))
			require.NoError(t, err)
			_, _ = a.Done.Connect(func(r discovery.Result) { done <- r })
			require.NoError(t, a.Ask())
		}))
		start := time.Now()
		res := <-done
		assert.Equal(t, time.Hour, time.Since(start))
		assert.False(t, res.Found)
		assert.Empty(t, res.Answers)

		var r *discovery.Responder
		require.NoError(t, l.Invoke(func() {
			var err error
			r, err = discovery.NewResponder(l, "h1", discovery.Fixed(7), netip.IPv4Unspecified(), discovery.Port, socket.WithTransport(h1))
			require.NoError(t, err)
			a.Close()
			a, err = discovery.NewAsker(l, discovery.AskConfig{Window: time.Hour, Expect: 1, Target: netip.MustParseAddr("10.0.0.255")}, socket.WithTransport(h2))
			require.NoError(t, err)
			_, _ = a.Done.Connect(func(r discovery.Result) { done <- r })
			require.NoError(t, a.Ask())
		}))
		start = time.Now()
		res = <-done
		assert.Less(t, time.Since(start), time.Second)
		assert.True(t, res.Found)
		assert.Equal(t, "h1", res.Best.Host)
		assert.Equal(t, uint64(7), res.Best.Free)
		require.NoError(t, l.Invoke(func() { a.Close(); r.Close() }))
	})
}

// Over loopback with real UDP sockets: several responders in one process
// share a port (ShareAddress) and all get one broadcast to 127.255.255.255
// (Linux's local table routes it on lo). The asker binds 127.0.0.1, so
// nothing leaves by another interface.
func TestLoopbackBroadcast(t *testing.T) {
	l := startLoop(t)
	tr := netsock.New()
	var rs []*discovery.Responder
	free := []uint64{3 * gib, 9 * gib, 5 * gib}
	require.NoError(t, l.Invoke(func() {
		port := 0
		for i, f := range free {
			r, err := discovery.NewResponder(l, fmt.Sprintf("r%d", i+1), discovery.Fixed(f), netip.IPv4Unspecified(), port, socket.WithTransport(tr))
			require.NoError(t, err)
			port = r.Port()
			rs = append(rs, r)
		}
	}))
	t.Cleanup(func() {
		_ = l.Invoke(func() {
			for _, r := range rs {
				r.Close()
			}
		})
	})
	done := make(chan discovery.Result, 1)
	var a *discovery.Asker
	require.NoError(t, l.Invoke(func() {
		var err error
		a, err = discovery.NewAsker(l, discovery.AskConfig{
			Target: netip.MustParseAddr("127.255.255.255"), Port: rs[0].Port(),
			Bind: netip.MustParseAddr("127.0.0.1"), Window: 10 * time.Second, Expect: len(free),
		}, socket.WithTransport(tr))
		require.NoError(t, err)
		_, _ = a.Done.Connect(func(r discovery.Result) { done <- r })
		require.NoError(t, a.Ask())
	}))
	res := <-done
	defer func() { _ = l.Invoke(a.Close) }()
	require.Len(t, res.Answers, len(free), "every responder answers (Expect ended the window, not the 10 s timer)")
	assert.Equal(t, "r2", res.Best.Host)
	assert.Equal(t, uint64(9*gib), res.Best.Free)
	for _, ans := range res.Answers {
		assert.True(t, ans.From.Addr().IsLoopback(), ans.From)
	}
}

func TestStatfsFree(t *testing.T) {
	n, err := discovery.StatfsFree(t.TempDir())()
	require.NoError(t, err)
	assert.Positive(t, n)
	_, err = discovery.StatfsFree("/no/such/dir")()
	assert.Error(t, err)
}

func TestParseAnswer(t *testing.T) {
	h, f, err := discovery.ParseAnswer(discovery.FormatAnswer("alpha", 42))
	require.NoError(t, err)
	assert.Equal(t, "alpha", h)
	assert.Equal(t, uint64(42), f)
	for _, bad := range []string{"", "FREESPACE?", "FREESPACE ", "FREESPACE a", "FREESPACE a -1", "FREESPACE a 1x", "HELLO a 1"} {
		_, _, err := discovery.ParseAnswer([]byte(bad))
		assert.Error(t, err, bad)
	}
}

func TestBadArguments(t *testing.T) {
	l := startLoop(t)
	require.NoError(t, l.Invoke(func() {
		any := netip.IPv4Unspecified()
		_, err := discovery.NewResponder(l, "", discovery.Fixed(1), any, 1)
		assert.ErrorIs(t, err, discovery.ErrBadName)
		_, err = discovery.NewResponder(l, "a b", discovery.Fixed(1), any, 1)
		assert.ErrorIs(t, err, discovery.ErrBadName)
		_, err = discovery.NewResponder(l, "a", discovery.Fixed(1), any, 70000)
		assert.ErrorIs(t, err, discovery.ErrBadPort)
		_, err = discovery.NewResponder(l, "a", nil, any, 1)
		assert.ErrorIs(t, err, discovery.ErrNoFree)
		_, err = discovery.NewAsker(l, discovery.AskConfig{Port: -1})
		assert.ErrorIs(t, err, discovery.ErrBadPort)
		_, err = discovery.NewAsker(l, discovery.AskConfig{Window: -time.Second})
		assert.ErrorIs(t, err, discovery.ErrBadWindow)
	}))
}
