package interop_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"google.golang.org/grpc/test/bufconn"

	"github.com/slotnet/slotnet/transport"
)

// benchHTTPGet measures one GET of a small body over a kept-alive
// connection: l serves, dial reaches it.
func benchHTTPGet(b *testing.B, l net.Listener, dial func(ctx context.Context, network, addr string) (net.Conn, error)) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hello")
	})}
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(l) }()
	defer func() { _ = srv.Close(); <-served }()
	tr := &http.Transport{DialContext: dial}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	url := "http://" + l.Addr().String() + "/"
	get := func() {
		resp, err := hc.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	get() // connect outside the measurement
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		get()
	}
}

// BenchmarkHTTPGet compares an HTTP/1.1 GET round trip over the in-memory
// network (fault-free), over loopback TCP, and over grpc's bufconn.
func BenchmarkHTTPGet(b *testing.B) {
	b.Run("mem", func(b *testing.B) {
		_, client, server := twoHosts()
		l, err := transport.Listen(server, "tcp", "10.0.0.2:80")
		if err != nil {
			b.Fatal(err)
		}
		benchHTTPGet(b, l, transport.DialContextFunc(client))
	})
	b.Run("loopback", func(b *testing.B) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		benchHTTPGet(b, l, (&net.Dialer{}).DialContext)
	})
	b.Run("bufconn", func(b *testing.B) {
		l := bufconn.Listen(1 << 20)
		benchHTTPGet(b, l, func(ctx context.Context, _, _ string) (net.Conn, error) { return l.DialContext(ctx) })
	})
}
