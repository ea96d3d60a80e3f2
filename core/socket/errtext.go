package socket

import (
	"errors"
	"syscall"

	"github.com/slotnet/slotnet/transport"
)

// Qt 5's texts for the errors a socket reports (QAbstractSocket and its
// native engine on Linux), checked against PyQt5 by the differential tests.
const (
	textUnknown           = "Unknown error"
	textRefused           = "Connection refused"
	textRemoteClosed      = "The remote host closed the connection"
	textHostNotFound      = "Host not found"
	textTimeout           = "Network operation timed out"
	textConnectTimeout    = "Connection timed out"
	textSocketTimeout     = "Socket operation timed out"
	textAccess            = "Permission denied"
	textResource          = "Insufficient resources"
	textDatagramTooLarge  = "Datagram was too large to send"
	textNetUnreachable    = "Network unreachable"
	textHostUnreachable   = "Host unreachable"
	textAddressInUse      = "The bound address is already in use"
	textAddressNotAvail   = "The address is not available"
	textUnsupported       = "Unsupported socket operation"
	textOperation         = "Operation on socket is not supported"
	textInProgress        = "Trying to connect while connection is in progress"
	textTemporary         = "Temporary error"
	textNotOpen           = "device not open"
	textReadOnly          = "ReadOnly device"
	textWriteOnly         = "WriteOnly device"
	textInTransaction     = "called while transaction is in progress"
	textTxInProgress      = "called while transaction already in progress"
	textNoTx              = "called while no transaction in progress"
	textUnfinished        = "Operation is still in progress"
	textInvalidPort       = "Port out of range"
	textInvalidBufferSize = "Invalid buffer size"
)

// errorText returns Qt's text for code, refined by the cause where Qt's
// native engine words errno values differently.
func errorText(code transport.SocketError, cause error) string {
	var errno syscall.Errno
	if errors.As(cause, &errno) {
		switch errno {
		case syscall.ENETUNREACH:
			return textNetUnreachable
		case syscall.EHOSTUNREACH:
			return textHostUnreachable
		case syscall.ETIMEDOUT:
			return textConnectTimeout
		}
	}
	switch code {
	case transport.ConnectionRefusedError:
		return textRefused
	case transport.RemoteHostClosedError:
		return textRemoteClosed
	case transport.HostNotFoundError:
		return textHostNotFound
	case transport.SocketAccessError:
		return textAccess
	case transport.SocketResourceError:
		return textResource
	case transport.SocketTimeoutError:
		return textTimeout
	case transport.DatagramTooLargeError:
		return textDatagramTooLarge
	case transport.NetworkError:
		return textNetUnreachable
	case transport.AddressInUseError:
		return textAddressInUse
	case transport.SocketAddressNotAvailableError:
		return textAddressNotAvail
	case transport.UnsupportedSocketOperationError:
		return textUnsupported
	case transport.OperationError:
		return textOperation
	case transport.UnfinishedSocketOperationError:
		return textUnfinished
	case transport.TemporaryError:
		return textTemporary
	}
	return textUnknown
}
