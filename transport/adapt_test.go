package transport_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

func TestAdaptersHTTP(t *testing.T) {
	tr := newOS(t)
	l, err := transport.Listen(tr, "tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello "+r.URL.Path)
	})}
	var wg sync.WaitGroup
	wg.Go(func() { srv.Serve(l) })
	defer wg.Wait()
	defer srv.Close()

	client := &http.Client{Transport: &http.Transport{DialContext: transport.DialContextFunc(tr)}}
	defer client.CloseIdleConnections()
	port := l.Addr().(*net.TCPAddr).Port
	// "localhost" goes through tr.LookupHost; an ::1 answer is refused and
	// the next address is tried.
	for _, host := range []string{"127.0.0.1", "localhost"} {
		resp, err := client.Get("http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/there")
		require.NoError(t, err, host)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, "hello /there", string(body))
	}
}

func TestDialContextFuncErrors(t *testing.T) {
	dial := transport.DialContextFunc(newOS(t))
	ctx := context.Background()
	_, err := dial(ctx, "sctp", "127.0.0.1:1")
	assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
	_, err = dial(ctx, "tcp", "127.0.0.1")
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
	_, err = dial(ctx, "tcp", "127.0.0.1:http")
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
	_, err = dial(ctx, "tcp6", "127.0.0.1:80")
	assert.ErrorIs(t, err, transport.HostNotFoundError)
	_, err = transport.Listen(newOS(t), "udp", "127.0.0.1:0")
	assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
	_, err = transport.Listen(newOS(t), "tcp", "localhost:0")
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
}

func TestPacketConnAdapters(t *testing.T) {
	tr := newOS(t)
	server := transport.PacketConn(bindLoop(t, tr, loop4))
	conn, err := transport.DialContextFunc(tr)(context.Background(), "udp", server.LocalAddr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, isPacket := conn.(net.PacketConn)
	assert.True(t, isPacket, "a connected datagram conn is also a net.PacketConn")
	assert.Equal(t, server.LocalAddr().String(), conn.RemoteAddr().String())

	_, err = conn.Write([]byte("query"))
	require.NoError(t, err)
	buf := make([]byte, 16)
	n, from, err := server.ReadFrom(buf)
	require.NoError(t, err)
	assert.Equal(t, "query", string(buf[:n]))
	assert.Equal(t, conn.LocalAddr().(*net.UDPAddr).Port, from.(*net.UDPAddr).Port)
	_, err = server.WriteTo([]byte("answer"), from)
	require.NoError(t, err)
	n, err = conn.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "answer", string(buf[:n]))
	_, err = server.WriteTo([]byte("x"), nil)
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
}

// dnsResponder answers A and PTR queries for one name over UDP on
// loopback, NXDOMAIN for every other name.
type dnsResponder struct {
	pc   net.PacketConn
	ln   net.Listener // the same port over TCP
	name dnsmessage.Name
	addr [4]byte
	ptr  dnsmessage.Name
	big  dnsmessage.Name // answered over TCP only
	wg   sync.WaitGroup
}

func startDNS(t *testing.T, tr transport.Transport) *dnsResponder {
	r := &dnsResponder{
		pc:   transport.PacketConn(bindLoop(t, tr, loop4)),
		name: dnsmessage.MustNewName("host.slotnet.test."),
		addr: [4]byte{127, 0, 0, 7},
		ptr:  dnsmessage.MustNewName("7.0.0.127.in-addr.arpa."),
		big:  dnsmessage.MustNewName("big.slotnet.test."),
	}
	ln, err := transport.Listen(tr, "tcp4", r.pc.LocalAddr().String())
	require.NoError(t, err)
	r.ln = ln
	r.wg.Go(r.serve)
	r.wg.Go(r.serveTCP)
	t.Cleanup(func() { r.pc.Close(); r.ln.Close(); r.wg.Wait() })
	return r
}

// serveTCP answers one length-prefixed query per connection, in full.
func (r *dnsResponder) serveTCP() {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		var size [2]byte
		if _, err := io.ReadFull(c, size[:]); err == nil {
			query := make([]byte, int(size[0])<<8|int(size[1]))
			if _, err := io.ReadFull(c, query); err == nil {
				if reply, err := r.answer(query, false); err == nil {
					c.Write(append([]byte{byte(len(reply) >> 8), byte(len(reply))}, reply...))
				}
			}
		}
		c.Close()
	}
}

func (r *dnsResponder) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := r.pc.ReadFrom(buf)
		if err != nil {
			return
		}
		if reply, err := r.answer(buf[:n], true); err == nil {
			r.pc.WriteTo(reply, from)
		}
	}
}

// answer builds the reply to query. Over UDP the answer for "big." is
// truncated, so the client must retry over TCP.
func (r *dnsResponder) answer(query []byte, udp bool) ([]byte, error) {
	var q dnsmessage.Message
	if err := q.Unpack(query); err != nil || len(q.Questions) != 1 {
		return nil, err
	}
	question := q.Questions[0]
	resp := dnsmessage.Message{
		Header:    dnsmessage.Header{ID: q.ID, Response: true, Authoritative: true, RecursionDesired: q.RecursionDesired},
		Questions: q.Questions,
	}
	hdr := dnsmessage.ResourceHeader{Name: question.Name, Class: dnsmessage.ClassINET, TTL: 60}
	switch {
	case question.Name == r.big && question.Type == dnsmessage.TypeA:
		if udp {
			resp.Truncated = true
			break
		}
		resp.Answers = append(resp.Answers, dnsmessage.Resource{Header: hdr, Body: &dnsmessage.AResource{A: [4]byte{127, 0, 0, 8}}})
	case question.Name == r.name && question.Type == dnsmessage.TypeA:
		resp.Answers = append(resp.Answers, dnsmessage.Resource{Header: hdr, Body: &dnsmessage.AResource{A: r.addr}})
	case question.Name == r.ptr && question.Type == dnsmessage.TypePTR:
		resp.Answers = append(resp.Answers, dnsmessage.Resource{Header: hdr, Body: &dnsmessage.PTRResource{PTR: r.name}})
	case question.Name == r.name, question.Name == r.ptr, question.Name == r.big:
		// The name exists without records of this type.
	default:
		resp.RCode = dnsmessage.RCodeNameError
	}
	return resp.Pack()
}

func TestNewResolver(t *testing.T) {
	tr := newOS(t)
	dns := startDNS(t, tr)
	server := dns.pc.LocalAddr().(*net.UDPAddr).AddrPort()
	resolving := netsock.New(netsock.WithResolver(transport.NewResolver(tr, server)))
	ctx := context.Background()

	addrs, err := resolving.LookupHost(ctx, "host.slotnet.test.")
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("127.0.0.7")}, addrs)

	addrs, err = resolving.LookupHost(ctx, "big.slotnet.test.")
	require.NoError(t, err, "a truncated UDP answer is retried over TCP")
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("127.0.0.8")}, addrs)

	_, err = resolving.LookupHost(ctx, "missing.slotnet.test.")
	require.Error(t, err)
	assert.ErrorIs(t, err, transport.HostNotFoundError)
	var dnsErr *net.DNSError
	require.ErrorAs(t, err, &dnsErr)
	assert.True(t, dnsErr.IsNotFound)
	assert.Equal(t, server.String(), dnsErr.Server, "the error names the server the query went to")

	r := transport.NewResolver(tr, server)
	assert.Equal(t, server.String(), r.Server())
	_, err = r.LookupNetIP(ctx, "ip4", "missing.slotnet.test.")
	require.ErrorAs(t, err, &dnsErr)
	assert.Equal(t, server.String(), dnsErr.Server, "straight from the Resolver too")
	_, err = r.Net().LookupNetIP(ctx, "ip4", "host.slotnet.test.")
	assert.NoError(t, err, "the *net.Resolver queries the same server")

	names, err := resolving.LookupAddr(ctx, netip.MustParseAddr("127.0.0.7"))
	require.NoError(t, err)
	assert.Equal(t, []string{"host.slotnet.test."}, names)

	_, err = resolving.LookupAddr(ctx, netip.Addr{})
	assert.ErrorIs(t, err, transport.HostNotFoundError)
}
