package mem

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"

	"github.com/slotnet/slotnet/transport"
)

// streamTimeoutErr is a deadline's error: SocketTimeoutError, a net.Error whose
// Timeout() is true, wrapping os.ErrDeadlineExceeded.
func streamTimeoutErr(op string, addr fmt.Stringer) error {
	return transport.TimeoutError(op, addr.String(), os.ErrDeadlineExceeded)
}

// streamClosedErr is the error of an operation on a socket closed locally; it
// wraps net.ErrClosed.
func streamClosedErr(op string, addr fmt.Stringer) error {
	return &transport.Error{Code: transport.OperationError, Op: op, Addr: addr.String(), Err: net.ErrClosed}
}

// streamResetErr is what a reset stream's Read and Write return.
func streamResetErr(op string, addr fmt.Stringer) error {
	return &transport.Error{Code: transport.RemoteHostClosedError, Op: op, Addr: addr.String(), Err: syscall.ECONNRESET}
}

// streamShutdownErr is a Write after CloseWrite: EPIPE, which Qt (and the
// OS transport) classify as RemoteHostClosedError.
func streamShutdownErr(addr fmt.Stringer) error {
	return &transport.Error{Code: transport.RemoteHostClosedError, Op: "write", Addr: addr.String(), Err: syscall.EPIPE}
}

// streamRefusedErr is a dial answered by a reset.
func streamRefusedErr(addr fmt.Stringer) error {
	return &transport.Error{Code: transport.ConnectionRefusedError, Op: "dial", Addr: addr.String(), Err: syscall.ECONNREFUSED}
}

// streamCtxErr classifies a context's end: a deadline is a timeout that wraps
// both os.ErrDeadlineExceeded and context.DeadlineExceeded; a cancellation
// is an OperationError wrapping context.Canceled.
func streamCtxErr(op string, addr fmt.Stringer, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &transport.Error{Code: transport.SocketTimeoutError, Op: op, Addr: addr.String(),
			Err: fmt.Errorf("%w (%w)", os.ErrDeadlineExceeded, err)}
	}
	return &transport.Error{Code: transport.OperationError, Op: op, Addr: addr.String(), Err: err}
}

// wakeOne wakes one waiter on a capacity-1 channel without blocking.
func wakeOne(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
