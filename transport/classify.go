package transport

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
)

// Classify maps an error from package net, package os, a system call or a
// context to Qt's SocketError. An error that already carries a code (an
// *Error or a SocketError in its chain) keeps it. Unknown errors, and nil,
// give UnknownSocketError.
//
//	io.EOF, ECONNRESET, EPIPE, ECONNABORTED      RemoteHostClosedError
//	ECONNREFUSED                                 ConnectionRefusedError
//	deadlines, context.DeadlineExceeded, ETIMEDOUT  SocketTimeoutError
//	context.Canceled, net.ErrClosed, ENOTCONN    OperationError
//	*net.DNSError (not a timeout)                HostNotFoundError
//	EADDRINUSE                                   AddressInUseError
//	EADDRNOTAVAIL, *net.AddrError                SocketAddressNotAvailableError
//	EACCES, EPERM                                SocketAccessError
//	EMSGSIZE                                     DatagramTooLargeError
//	ENETUNREACH, EHOSTUNREACH, ENETDOWN, …       NetworkError
//	EMFILE, ENFILE, ENOBUFS, ENOMEM              SocketResourceError
//	EAFNOSUPPORT, EOPNOTSUPP, ENOPROTOOPT, …     UnsupportedSocketOperationError
//	EAGAIN                                       TemporaryError
func Classify(err error) SocketError {
	if err == nil {
		return UnknownSocketError
	}
	if code := CodeOf(err); code != UnknownSocketError {
		return code
	}
	if code, ok := classifyGo(err); ok {
		return code
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return classifyErrno(errno)
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return SocketTimeoutError
	}
	return UnknownSocketError
}

// classifyGo classifies the sentinel and typed errors of the standard
// library, before any errno they may wrap.
func classifyGo(err error) (SocketError, bool) {
	var dnsErr *net.DNSError
	var addrErr *net.AddrError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return RemoteHostClosedError, true
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return SocketTimeoutError, true
	case errors.Is(err, context.Canceled), errors.Is(err, net.ErrClosed):
		return OperationError, true
	case errors.As(err, &dnsErr):
		if dnsErr.IsTimeout {
			return SocketTimeoutError, true
		}
		return HostNotFoundError, true
	case errors.As(err, &addrErr):
		return SocketAddressNotAvailableError, true
	case errors.As(err, new(net.UnknownNetworkError)):
		return UnsupportedSocketOperationError, true
	}
	return UnknownSocketError, false
}

// errnoCodes maps system error numbers to Qt codes.
var errnoCodes = map[syscall.Errno]SocketError{
	syscall.ECONNREFUSED:    ConnectionRefusedError,
	syscall.ECONNRESET:      RemoteHostClosedError,
	syscall.EPIPE:           RemoteHostClosedError,
	syscall.ECONNABORTED:    RemoteHostClosedError,
	syscall.EADDRINUSE:      AddressInUseError,
	syscall.EADDRNOTAVAIL:   SocketAddressNotAvailableError,
	syscall.EACCES:          SocketAccessError,
	syscall.EPERM:           SocketAccessError,
	syscall.EMSGSIZE:        DatagramTooLargeError,
	syscall.ETIMEDOUT:       SocketTimeoutError,
	syscall.ENETUNREACH:     NetworkError,
	syscall.EHOSTUNREACH:    NetworkError,
	syscall.ENETDOWN:        NetworkError,
	syscall.EHOSTDOWN:       NetworkError,
	syscall.ENETRESET:       NetworkError,
	syscall.EMFILE:          SocketResourceError,
	syscall.ENFILE:          SocketResourceError,
	syscall.ENOBUFS:         SocketResourceError,
	syscall.ENOMEM:          SocketResourceError,
	syscall.EAFNOSUPPORT:    UnsupportedSocketOperationError,
	syscall.EPROTONOSUPPORT: UnsupportedSocketOperationError,
	syscall.EOPNOTSUPP:      UnsupportedSocketOperationError,
	syscall.ENOPROTOOPT:     UnsupportedSocketOperationError,
	syscall.EINPROGRESS:     UnfinishedSocketOperationError,
	syscall.EALREADY:        UnfinishedSocketOperationError,
	syscall.EAGAIN:          TemporaryError,
	syscall.EINTR:           TemporaryError,
	syscall.ENOTCONN:        OperationError,
	syscall.EISCONN:         OperationError,
	syscall.EINVAL:          OperationError,
	syscall.EBADF:           OperationError,
}

// classifyErrno maps one system error number.
func classifyErrno(errno syscall.Errno) SocketError {
	if code, ok := errnoCodes[errno]; ok {
		return code
	}
	return UnknownSocketError
}

// WrapError turns an error from package net into an *Error for op on addr,
// classified with Classify; every Transport implementation uses it so that
// the same failure reads the same on each. nil stays nil, io.EOF stays a plain io.EOF (readers compare with ==), an
// *Error passes unchanged, and the *net.OpError layer is dropped because
// the *Error carries the same operation and address.
func WrapError(op, addr string, err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	var te *Error
	if errors.As(err, &te) {
		return err
	}
	code := Classify(err)
	cause := err
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		cause = oe.Err
	}
	if code == SocketTimeoutError {
		cause = timeoutCause{cause}
	}
	return &Error{Code: code, Op: op, Addr: addr, Err: cause}
}

// timeoutCause makes every timeout match both os.ErrDeadlineExceeded (as
// an I/O deadline does) and context.DeadlineExceeded (as a ctx deadline
// does), whichever of them, or a system timeout, caused it.
type timeoutCause struct{ err error }

// Error returns the underlying timeout's message.
func (c timeoutCause) Error() string { return c.err.Error() }

// Unwrap returns the underlying timeout.
func (c timeoutCause) Unwrap() error { return c.err }

// Timeout is always true (net.Error).
func (c timeoutCause) Timeout() bool { return true }

// Is matches both deadline sentinels.
func (c timeoutCause) Is(target error) bool {
	return target == os.ErrDeadlineExceeded || target == context.DeadlineExceeded
}

// TimeoutError returns the SocketTimeoutError of op on addr. Whatever the
// cause (an I/O deadline, a context deadline, a silent DNS server), the
// error matches both os.ErrDeadlineExceeded and context.DeadlineExceeded,
// and its Timeout is true, so every transport's timeouts look alike.
func TimeoutError(op, addr string, cause error) *Error {
	if cause == nil {
		cause = os.ErrDeadlineExceeded
	}
	return &Error{Code: SocketTimeoutError, Op: op, Addr: addr, Err: timeoutCause{cause}}
}

// NewError builds an *Error with a plain message as its cause.
func NewError(code SocketError, op, addr, msg string) *Error {
	return &Error{Code: code, Op: op, Addr: addr, Err: errors.New(msg)}
}
