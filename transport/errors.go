package transport

import (
	"errors"
	"fmt"
	"strconv"
)

// SocketError is Qt's QAbstractSocket::SocketError: the same names and the
// same values, so codes cross the wire to and from Qt programs unchanged.
// A SocketError is itself an error, so callers match a classified error with
// errors.Is(err, transport.ConnectionRefusedError).
type SocketError int

// Qt 5's QAbstractSocket::SocketError values.
const (
	UnknownSocketError               SocketError = -1
	ConnectionRefusedError           SocketError = 0
	RemoteHostClosedError            SocketError = 1
	HostNotFoundError                SocketError = 2
	SocketAccessError                SocketError = 3
	SocketResourceError              SocketError = 4
	SocketTimeoutError               SocketError = 5
	DatagramTooLargeError            SocketError = 6
	NetworkError                     SocketError = 7
	AddressInUseError                SocketError = 8
	SocketAddressNotAvailableError   SocketError = 9
	UnsupportedSocketOperationError  SocketError = 10
	UnfinishedSocketOperationError   SocketError = 11
	ProxyAuthenticationRequiredError SocketError = 12
	SslHandshakeFailedError          SocketError = 13
	ProxyConnectionRefusedError      SocketError = 14
	ProxyConnectionClosedError       SocketError = 15
	ProxyConnectionTimeoutError      SocketError = 16
	ProxyNotFoundError               SocketError = 17
	ProxyProtocolError               SocketError = 18
	OperationError                   SocketError = 19
	SslInternalError                 SocketError = 20
	SslInvalidUserDataError          SocketError = 21
	TemporaryError                   SocketError = 22
)

var socketErrorNames = map[SocketError]string{
	UnknownSocketError:               "UnknownSocketError",
	ConnectionRefusedError:           "ConnectionRefusedError",
	RemoteHostClosedError:            "RemoteHostClosedError",
	HostNotFoundError:                "HostNotFoundError",
	SocketAccessError:                "SocketAccessError",
	SocketResourceError:              "SocketResourceError",
	SocketTimeoutError:               "SocketTimeoutError",
	DatagramTooLargeError:            "DatagramTooLargeError",
	NetworkError:                     "NetworkError",
	AddressInUseError:                "AddressInUseError",
	SocketAddressNotAvailableError:   "SocketAddressNotAvailableError",
	UnsupportedSocketOperationError:  "UnsupportedSocketOperationError",
	UnfinishedSocketOperationError:   "UnfinishedSocketOperationError",
	ProxyAuthenticationRequiredError: "ProxyAuthenticationRequiredError",
	SslHandshakeFailedError:          "SslHandshakeFailedError",
	ProxyConnectionRefusedError:      "ProxyConnectionRefusedError",
	ProxyConnectionClosedError:       "ProxyConnectionClosedError",
	ProxyConnectionTimeoutError:      "ProxyConnectionTimeoutError",
	ProxyNotFoundError:               "ProxyNotFoundError",
	ProxyProtocolError:               "ProxyProtocolError",
	OperationError:                   "OperationError",
	SslInternalError:                 "SslInternalError",
	SslInvalidUserDataError:          "SslInvalidUserDataError",
	TemporaryError:                   "TemporaryError",
}

// String returns Qt's enumerator name, e.g. "ConnectionRefusedError".
func (e SocketError) String() string {
	if s, ok := socketErrorNames[e]; ok {
		return s
	}
	return "SocketError(" + strconv.Itoa(int(e)) + ")"
}

// Error makes a bare code usable as an errors.Is target and as an error.
func (e SocketError) Error() string { return e.String() }

// Error is the one concrete error type of transport and the socket engine:
// a Qt code plus the operation, the address involved and the cause.
// errors.Is matches it against its code (a SocketError) and against its
// cause; a timeout satisfies net.Error and wraps os.ErrDeadlineExceeded; a
// use of a closed socket wraps net.ErrClosed.
type Error struct {
	Code SocketError // Qt's classification
	Op   string      // "dial", "listen", "bind", "read", "write", "lookup", ...
	Addr string      // the address involved, if any
	Err  error       // the underlying cause, if any
}

// Error returns "op addr: cause (Code)".
func (e *Error) Error() string {
	s := e.Op
	if e.Addr != "" {
		s += " " + e.Addr
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return fmt.Sprintf("%s (%s)", s, e.Code)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is this error's code.
func (e *Error) Is(target error) bool {
	code, ok := target.(SocketError)
	return ok && code == e.Code
}

// Timeout reports whether the error is a timeout (net.Error).
func (e *Error) Timeout() bool { return e.Code == SocketTimeoutError }

// Temporary is part of net.Error; only timeouts are temporary.
func (e *Error) Temporary() bool { return e.Timeout() }

// CodeOf returns the SocketError that err carries: the code of the first
// *Error or SocketError in its chain, else UnknownSocketError (nil gives
// UnknownSocketError too).
func CodeOf(err error) SocketError {
	var te *Error
	if errors.As(err, &te) {
		return te.Code
	}
	var code SocketError
	if errors.As(err, &code) {
		return code
	}
	return UnknownSocketError
}
