package transport_test

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// memHosts returns a client and a server host on one in-memory network
// whose zone names the server "www.example.test".
func memHosts(t *testing.T) (client, server *mem.Host) {
	n := mem.New(mem.WithSeed(1))
	client = n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	server = n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	z := mem.NewZone()
	require.NoError(t, z.AddA("www.example.test", netip.MustParseAddr("10.0.0.2")))
	n.SetZone(z)
	return client, server
}

// The adapters work over the in-memory transport just as over the OS one.
func TestAdaptersOverMem(t *testing.T) {
	client, server := memHosts(t)
	l, err := transport.Listen(server, "tcp", "10.0.0.2:80")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "in memory "+r.Host)
	})}
	var wg sync.WaitGroup
	wg.Go(func() { srv.Serve(l) })
	defer wg.Wait()
	defer srv.Close()

	hc := &http.Client{Transport: &http.Transport{DialContext: transport.DialContextFunc(client)}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Get("http://www.example.test/")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "in memory www.example.test", string(body))
}

func TestNewResolverOverMemDNS(t *testing.T) {
	client, server := memHosts(t)
	dns, err := server.ServeDNS(netip.MustParseAddrPort("10.0.0.2:53"))
	require.NoError(t, err)
	defer dns.Close()
	r := transport.NewResolver(client, dns.Addr())
	addrs, err := r.LookupNetIP(context.Background(), "ip4", "www.example.test.")
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("10.0.0.2")}, addrs)
}
