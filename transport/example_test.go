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
	"github.com/slotnet/slotnet/transport/netsock"
)

// Classify gives Qt's code for an error from package net or the system.
func ExampleClassify() {
	var err error = &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}
	fmt.Println(transport.Classify(err))
	fmt.Println(transport.Classify(context.DeadlineExceeded))

	// The transport's own errors carry their code and match it.
	_, err = netsock.New().Dial(context.Background(), netip.AddrPort{}, transport.DialOptions{})
	fmt.Println(errors.Is(err, transport.SocketAddressNotAvailableError))
	// Output:
	// ConnectionRefusedError
	// SocketTimeoutError
	// true
}

// Serve and fetch HTTP through any Transport.
func ExampleDialContextFunc() {
	tr := netsock.New()
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
