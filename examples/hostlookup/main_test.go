package main

import (
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/dns"
	"github.com/slotnet/slotnet/transport/mem"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// An IP literal answers itself with no query; "" gets Qt's text.
func TestLiteral(t *testing.T) {
	c := dns.Default()
	var out strings.Builder
	assert.NoError(t, run(&out, c, []string{"127.0.0.1", "::1"}, time.Second))
	assert.Equal(t, "127.0.0.1: 127.0.0.1\n::1: ::1\n", out.String())
	out.Reset()
	assert.ErrorIs(t, run(&out, c, []string{"", "a..b"}, time.Second), errFailed)
	assert.Equal(t, ": Lookup failed: No host name given\na..b: Lookup failed: Invalid hostname\n", out.String())
}

// Over an in-memory zone: addresses in argument order, a missing name gets
// "Host not found".
func TestZone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := mem.New()
		h := n.MustAddHost("client")
		z := n.Zone()
		require.NoError(t, z.AddA("www.example.test", netip.MustParseAddr("192.0.2.10")))
		require.NoError(t, z.AddAAAA("www.example.test", netip.MustParseAddr("2001:db8::10")))
		require.NoError(t, z.AddA("mail.example.test", netip.MustParseAddr("192.0.2.25")))
		c, err := dns.New(dns.WithTransport(h))
		require.NoError(t, err)
		var out strings.Builder
		err = run(&out, c, []string{"www.example.test", "nosuch.example.test", "mail.example.test"}, 5*time.Second)
		assert.ErrorIs(t, err, errFailed)
		assert.Equal(t, "www.example.test: 192.0.2.10 2001:db8::10\n"+
			"nosuch.example.test: Lookup failed: Host not found\n"+
			"mail.example.test: 192.0.2.25\n", out.String())
	})
}
