package transport_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"syscall"

	"github.com/slotnet/slotnet/transport"
)

// Listen, dial and echo over the host's loopback interface.
func ExampleOS() {
	ctx := context.Background()
	tr := transport.NewOS()
	l, err := tr.Listen(ctx, netip.MustParseAddrPort("127.0.0.1:0"), transport.ListenOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()

	done := make(chan struct{})
	go func() {
		defer close(done)
		s, err := l.AcceptStream(ctx)
		if err != nil {
			return
		}
		defer s.Close()
		io.Copy(s, s) // echo until the client half-closes
	}()

	c, err := tr.Dial(ctx, l.AddrPort(), transport.DialOptions{NoDelay: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	c.Write([]byte("hello"))
	c.CloseWrite()
	reply, _ := io.ReadAll(c)
	<-done
	fmt.Printf("%s\n", reply)
	// Output: hello
}

// Classify gives Qt's code for an error from package net or the system.
func ExampleClassify() {
	var err error = &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}
	fmt.Println(transport.Classify(err))
	fmt.Println(transport.Classify(context.DeadlineExceeded))

	// The transport's own errors carry their code and match it.
	_, err = transport.NewOS().Dial(context.Background(), netip.AddrPort{}, transport.DialOptions{})
	fmt.Println(errors.Is(err, transport.SocketAddressNotAvailableError))
	// Output:
	// ConnectionRefusedError
	// SocketTimeoutError
	// true
}

// Serve and fetch HTTP through any Transport.
func ExampleDialContextFunc() {
	tr := transport.NewOS()
	l, err := transport.Listen(tr, "tcp4", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "served over a transport")
	})}
	served := make(chan struct{})
	go func() { srv.Serve(l); close(served) }()

	client := &http.Client{Transport: &http.Transport{DialContext: transport.DialContextFunc(tr)}}
	resp, err := client.Get("http://" + l.Addr().String() + "/")
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(string(body))
	}
	client.CloseIdleConnections()
	srv.Close()
	<-served
	// Output: served over a transport
}
