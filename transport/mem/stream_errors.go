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

// endCause is why a connection ended abnormally at one end, which picks
// the error its Reads and Writes return.
type endCause uint8

const (
	endReset   endCause = iota // an RST arrived: ECONNRESET
	endPipe                    // an RST arrived after the peer's FIN: EPIPE
	endTimeout                 // the retransmission or keepalive budget ran out
)

// resetErr is what Read and Write return once the connection has ended
// abnormally. A reset that arrives after the peer's FIN is Linux's
// CLOSE_WAIT case: the error is EPIPE, which Qt (and the OS transport)
// report as RemoteHostClosedError, as for ECONNRESET.
func (e *Conn) resetErr(op string) error {
	switch e.ended {
	case endPipe:
		return &transport.Error{Code: transport.RemoteHostClosedError, Op: op, Addr: e.remote.String(), Err: syscall.EPIPE}
	case endTimeout:
		return transport.TimeoutError(op, e.remote.String(), syscall.ETIMEDOUT)
	}
	return streamResetErr(op, e.remote)
}
