package transport_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/slotnet/slotnet/transport"
)

func TestClassify(t *testing.T) {
	opErr := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	tests := []struct {
		name string
		err  error
		want transport.SocketError
	}{
		{"nil", nil, transport.UnknownSocketError},
		{"unknown", errors.New("boom"), transport.UnknownSocketError},
		{"coded", &transport.Error{Code: transport.ProxyNotFoundError}, transport.ProxyNotFoundError},
		{"bare code", fmt.Errorf("wrapped: %w", transport.SslInternalError), transport.SslInternalError},
		{"eof", io.EOF, transport.RemoteHostClosedError},
		{"refused", opErr(syscall.ECONNREFUSED), transport.ConnectionRefusedError},
		{"reset", opErr(syscall.ECONNRESET), transport.RemoteHostClosedError},
		{"pipe", opErr(syscall.EPIPE), transport.RemoteHostClosedError},
		{"in use", opErr(syscall.EADDRINUSE), transport.AddressInUseError},
		{"not avail", opErr(syscall.EADDRNOTAVAIL), transport.SocketAddressNotAvailableError},
		{"access", opErr(syscall.EACCES), transport.SocketAccessError},
		{"perm", opErr(syscall.EPERM), transport.SocketAccessError},
		{"msgsize", opErr(syscall.EMSGSIZE), transport.DatagramTooLargeError},
		{"timedout", opErr(syscall.ETIMEDOUT), transport.SocketTimeoutError},
		{"net unreach", opErr(syscall.ENETUNREACH), transport.NetworkError},
		{"host unreach", opErr(syscall.EHOSTUNREACH), transport.NetworkError},
		{"files", opErr(syscall.EMFILE), transport.SocketResourceError},
		{"afnosupport", opErr(syscall.EAFNOSUPPORT), transport.UnsupportedSocketOperationError},
		{"again", opErr(syscall.EAGAIN), transport.TemporaryError},
		{"inprogress", opErr(syscall.EINPROGRESS), transport.UnfinishedSocketOperationError},
		{"other errno", opErr(syscall.ENOENT), transport.UnknownSocketError},
		{"deadline", &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, transport.SocketTimeoutError},
		{"ctx deadline", context.DeadlineExceeded, transport.SocketTimeoutError},
		{"canceled", fmt.Errorf("dial: %w", context.Canceled), transport.OperationError},
		{"closed", &net.OpError{Op: "read", Err: net.ErrClosed}, transport.OperationError},
		{"dns not found", &net.DNSError{Err: "no such host", Name: "x.", IsNotFound: true}, transport.HostNotFoundError},
		{"dns failure", &net.DNSError{Err: "server misbehaving", Name: "x."}, transport.HostNotFoundError},
		{"dns timeout", &net.DNSError{Err: "i/o timeout", Name: "x.", IsTimeout: true}, transport.SocketTimeoutError},
		{"addr error", &net.AddrError{Err: "missing port", Addr: "x"}, transport.SocketAddressNotAvailableError},
		{"unknown network", net.UnknownNetworkError("sctp"), transport.UnsupportedSocketOperationError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, transport.Classify(tt.err))
		})
	}
}
