package peer

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/internal/faketb"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

func TestDNSAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, ch, sh := memHosts(t)
		d := NewDNS(t).
			A("www.example.test", "192.0.2.1", "192.0.2.2").
			AAAA("www.example.test", "2001:db8::1").
			CNAME("Alias.Example.Test.", "www.example.test").
			NXDomain("gone.example.test").
			ServFail("broken.example.test").
			Silent("mute.example.test").
			A("slow.example.test", "192.0.2.9").Delay("slow.example.test", 3*time.Second).
			ExpectQuery("www.example.test").
			ExpectQuery("alias.example.test").
			ExpectQuery("gone.example.test").
			ExpectQuery("broken.example.test").
			ExpectQuery("slow.example.test").
			ExpectQuery("mute.example.test")
		addr := d.ServeOn(sh, netip.AddrPortFrom(serverAddr, 53))
		r := transport.NewResolver(ch, addr)
		ctx := context.Background()

		ips, err := r.LookupNetIP(ctx, "ip", "www.example.test.")
		require.NoError(t, err)
		assert.ElementsMatch(t, []netip.Addr{
			netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("2001:db8::1"),
		}, ips)

		cname, err := r.LookupCNAME(ctx, "alias.example.test.")
		require.NoError(t, err)
		assert.Equal(t, "www.example.test.", cname)

		_, err = r.LookupNetIP(ctx, "ip4", "gone.example.test.")
		var de *net.DNSError
		require.True(t, errors.As(err, &de), "%v", err)
		assert.True(t, de.IsNotFound)

		_, err = r.LookupNetIP(ctx, "ip4", "broken.example.test.")
		require.True(t, errors.As(err, &de), "%v", err)
		assert.False(t, de.IsNotFound)
		assert.True(t, de.IsTemporary, "SERVFAIL")

		start := time.Now()
		ips, err = r.LookupNetIP(ctx, "ip4", "slow.example.test.")
		require.NoError(t, err)
		assert.Equal(t, []netip.Addr{netip.MustParseAddr("192.0.2.9")}, ips)
		assert.Equal(t, 3*time.Second, time.Since(start), "the delay, in virtual time")

		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_, err = r.LookupNetIP(tctx, "ip4", "mute.example.test.")
		require.True(t, errors.As(err, &de), "%v", err)
		assert.True(t, de.IsTimeout, "silence")

		<-d.Done()
		assert.NoError(t, d.Err())
		qs := d.Queries()
		require.NotEmpty(t, qs)
		assert.Equal(t, "www.example.test.", qs[0].Name)
		assert.Equal(t, clientAddr, qs[0].From.Addr())
	})
}

func TestDNSLoopback(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	d := NewDNS(t).A("db.example.test", "192.0.2.7").ExpectQuery("db.example.test")
	d.Serve(pc)
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return net.Dial("udp", pc.LocalAddr().String())
	}}
	ips, err := r.LookupNetIP(context.Background(), "ip4", "db.example.test.")
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("192.0.2.7")}, ips)
	<-d.Done()
	assert.NoError(t, d.Err())
}

// lookups runs the code under test: it looks the names up in order.
func lookups(names ...string) func(*transport.Resolver) {
	return func(r *transport.Resolver) {
		for _, n := range names {
			_, _ = r.LookupNetIP(context.Background(), "ip", n)
		}
	}
}

func playDNS(t *testing.T, build func(*DNS) *DNS, client func(*transport.Resolver)) *faketb.TB {
	t.Helper()
	f := faketb.New(nil)
	synctest.Test(t, func(t *testing.T) {
		_, ch, sh := memHosts(t)
		d := build(NewDNS(f))
		addr := d.ServeOn(sh, netip.AddrPortFrom(serverAddr, 53))
		client(transport.NewResolver(ch, addr))
		f.End()
	})
	return f
}

func TestDNSFailures(t *testing.T) {
	f := playDNS(t, func(d *DNS) *DNS {
		return d.A("a.test", "192.0.2.1").ExpectQuery("a.test").ExpectQuery("b.test").ExpectQuery("c.test")
	}, lookups("a.test.", "c.test."))
	assert.Regexp(t, `^peer: step 1 ExpectQuery\("b.test"\): query 3 asked "c.test." \((A|AAAA)\) from 10.0.0.1:\d+\n`+
		`\t1 step\(s\) not played: step 2 ExpectQuery\("c.test"\)$`, f.One(t))

	f = playDNS(t, func(d *DNS) *DNS {
		return d.ExpectQuery("a.test").ExpectQuery("b.test")
	}, lookups("a.test."))
	assert.Regexp(t, `^peer: step 1 ExpectQuery\("b.test"\): the test ended before this name was asked; asked: "a.test." \((A, AAAA|AAAA, A)\)$`, f.One(t))

	f = faketb.New(nil)
	NewDNS(f).A("x.test", "::1").AAAA("x.test", "10.0.0.1", "nope").CNAME("y.test", string(make([]byte, 300))).ExpectQuery("x.test")
	f.End()
	msgs := f.Messages()
	require.Len(t, msgs, 5)
	assert.Equal(t, `peer: A("x.test"): ::1 is not an IPv4 address`, msgs[0])
	assert.Equal(t, `peer: AAAA("x.test"): 10.0.0.1 is not an IPv6 address`, msgs[1])
	assert.Contains(t, msgs[2], `peer: AAAA("x.test"): ParseAddr("nope")`)
	assert.Contains(t, msgs[3], `peer: CNAME("y.test", `)
	assert.Equal(t, `peer: the script was never played: 1 step(s) left: step 0 ExpectQuery("x.test")`, msgs[4])
}

// An answer too big for UDP comes back truncated (TC); the resolver asks
// again over TCP, which ServeOn serves on the same port, and gets it all.
func TestDNSOverTCP(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, ch, sh := memHosts(t)
		var want []netip.Addr
		var addrs []string
		for i := range 60 {
			a := netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)})
			want = append(want, a)
			addrs = append(addrs, a.String())
		}
		d := NewDNS(t).A("big.example.test", addrs...).ExpectQuery("big.example.test")
		addr := d.ServeOn(sh, netip.AddrPortFrom(serverAddr, 53))
		r := transport.NewResolver(ch, addr)

		ips, err := r.LookupNetIP(context.Background(), "ip4", "big.example.test.")
		require.NoError(t, err)
		assert.ElementsMatch(t, want, ips)
		<-d.Done()
		assert.NoError(t, d.Err())
		n := 0
		for _, q := range d.Queries() {
			if q.Name == "big.example.test." && q.Type == "A" {
				n++
			}
		}
		assert.Equal(t, 2, n, "asked over UDP, then again over TCP: %v", d.Queries())
	})
}

// ServeStream refuses nothing to serve on, with a message.
func TestDNSServeStreamNil(t *testing.T) {
	f := faketb.New(nil)
	d := NewDNS(f)
	d.ServeStream(nil)
	f.End()
	assert.Equal(t, []string{"peer: ServeStream(nil): nothing to serve on"}, f.Messages())
}
