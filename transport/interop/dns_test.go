package interop_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"testing/synctest"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// miekgLookup asks the in-memory DNS server for name's A records with a
// miekg/dns client, over network ("udp" or "tcp"). miekg's Client dials
// with a *net.Dialer only, so the glue is to dial with
// transport.DialContextFunc and hand it the connection.
func miekgLookup(network, name string, records int) ([]string, error) {
	n, client, server := twoHosts()
	for i := range records {
		if err := n.Zone().AddA(name, netip.AddrFrom4([4]byte{10, 9, byte(i / 200), byte(i%200 + 1)})); err != nil {
			return nil, err
		}
	}
	srv, err := server.ServeDNS(netip.MustParseAddrPort("10.0.0.2:53"))
	if err != nil {
		return nil, err
	}
	defer srv.Close()

	ctx := context.Background()
	conn, err := transport.DialContextFunc(client)(ctx, network, "10.0.0.2:53")
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	q := new(dns.Msg).SetQuestion(dns.Fqdn(name), dns.TypeA)
	resp, _, err := new(dns.Client).ExchangeWithConnContext(ctx, q, &dns.Conn{Conn: conn})
	if err != nil {
		return nil, err
	}
	if resp.Truncated {
		return nil, fmt.Errorf("answer truncated: ask over tcp")
	}
	var out []string
	for _, rr := range resp.Answer {
		if a, ok := rr.(*dns.A); ok {
			out = append(out, a.A.String())
		}
	}
	return out, nil
}

// A miekg/dns client asking the in-memory network's DNS server.
func Example_miekgDNS() {
	addrs, err := miekgLookup("udp", "www.example.test", 2)
	fmt.Println(addrs, err)
	// Output: [10.9.0.1 10.9.0.2] <nil>
}

func TestMiekgDNSInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		addrs, err := miekgLookup("udp", "www.example.test", 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"10.9.0.1", "10.9.0.2"}, addrs)

		_, err = miekgLookup("udp", "big.example.test", 100)
		assert.ErrorContains(t, err, "truncated", "100 records do not fit a UDP answer")
		addrs, err = miekgLookup("tcp", "big.example.test", 100)
		require.NoError(t, err)
		assert.Len(t, addrs, 100, "over TCP they all come")
	})
}
