package socket

import (
	"context"
	"errors"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// The WaitFor… calls block the calling goroutine until something happens
// to the socket, for use without an event loop (Qt's blocking mode: the
// caller's goroutine runs the socket's events while it waits) or from a
// goroutine other than the loop of a loop-bound socket (the condition is
// checked on the loop after each of its events). A timeout sets
// SocketTimeoutError and emits ErrorOccurred but leaves the socket as it
// is, except WaitForConnected, which abandons the attempt. A cancelled
// context returns its error and changes nothing.

// WaitForConnected waits until the socket is connected; see
// WaitForConnectedContext.
func (e *Engine) WaitForConnected(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return e.WaitForConnectedContext(ctx)
}

// WaitForConnectedContext waits until the socket is connected (nil) or the
// attempt failed (the error). On timeout the attempt is aborted.
func (e *Engine) WaitForConnectedContext(ctx context.Context) error {
	var s State
	err := e.WaitUntil(ctx, func() bool {
		s = e.State()
		return s != HostLookupState && s != ConnectingState
	})
	switch {
	case err == nil && (s == ConnectedState || s == ClosingState):
		return nil
	case err == nil:
		return e.lastError("waitForConnected", "not connecting")
	}
	return e.waitFailed(ctx, err, "waitForConnected", true)
}

// WaitForReadyRead waits until new data has arrived (ReadyRead was
// emitted); see WaitForReadyReadContext.
func (e *Engine) WaitForReadyRead(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return e.WaitForReadyReadContext(ctx)
}

// WaitForReadyReadContext waits until new data has arrived. Data already
// buffered does not count. It fails at once when the socket is
// unconnected, and when the socket closes before data arrives.
func (e *Engine) WaitForReadyReadContext(ctx context.Context) error {
	var start uint64
	first := true
	arrived, gone := false, false
	err := e.WaitUntil(ctx, func() bool {
		if first {
			start, first = e.readSeq, false
		}
		arrived = e.readSeq > start
		gone = !e.canReceive()
		return arrived || gone
	})
	switch {
	case err == nil && arrived:
		return nil
	case err == nil:
		return e.lastError("waitForReadyRead", "socket is not connected")
	}
	return e.waitFailed(ctx, err, "waitForReadyRead", false)
}

// WaitForBytesWritten waits until BytesWritten has been emitted; see
// WaitForBytesWrittenContext.
func (e *Engine) WaitForBytesWritten(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return e.WaitForBytesWrittenContext(ctx)
}

// WaitForBytesWrittenContext waits until some of the write buffer has been
// accepted by the transport (BytesWritten). It fails at once when nothing
// is pending or the socket is unconnected.
func (e *Engine) WaitForBytesWrittenContext(ctx context.Context) error {
	var start uint64
	first := true
	written, gone, nothing := false, false, false
	err := e.WaitUntil(ctx, func() bool {
		if first {
			start, first = e.writtenSeq, false
			nothing = e.BytesToWrite() == 0
		}
		written = e.writtenSeq > start
		gone = !e.canReceive()
		return written || gone || nothing
	})
	switch {
	case err == nil && written:
		return nil
	case err == nil && nothing && !gone:
		return e.refuse(transport.OperationError, "waitForBytesWritten", "nothing to write")
	case err == nil:
		return e.lastError("waitForBytesWritten", "socket is not connected")
	}
	return e.waitFailed(ctx, err, "waitForBytesWritten", false)
}

// WaitForDisconnected waits until the socket is unconnected; see
// WaitForDisconnectedContext.
func (e *Engine) WaitForDisconnected(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return e.WaitForDisconnectedContext(ctx)
}

// WaitForDisconnectedContext waits until the socket has disconnected. It
// fails at once when it is unconnected already (as Qt).
func (e *Engine) WaitForDisconnectedContext(ctx context.Context) error {
	already := false
	first := true
	err := e.WaitUntil(ctx, func() bool {
		s := e.State()
		if first {
			first = false
			already = s == UnconnectedState || s == BoundState
		}
		return s == UnconnectedState || s == BoundState
	})
	switch {
	case err == nil && already:
		return e.refuse(transport.OperationError, "waitForDisconnected", "waitForDisconnected() is not allowed in UnconnectedState")
	case err == nil:
		return nil
	}
	return e.waitFailed(ctx, err, "waitForDisconnected", false)
}

// lastError is the error a failed wait returns: the socket's last error if
// it has one.
func (e *Engine) lastError(op, otherwise string) error {
	var code transport.SocketError
	var text string
	_ = e.Invoke(func() { code, text = e.errCode, e.ErrorString() })
	if code == transport.UnknownSocketError {
		return e.refuse(transport.OperationError, op, otherwise)
	}
	return &transport.Error{Code: code, Op: op, Err: textError(text)}
}

// waitFailed handles a wait that ended with err (the context's or the
// object's): a deadline is Qt's timeout.
func (e *Engine) waitFailed(ctx context.Context, err error, op string, abortAttempt bool) error {
	if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() == nil {
		return err
	}
	_ = e.Invoke(func() {
		if abortAttempt {
			// Qt: the error is set but not emitted, the attempt dropped,
			// and the state goes back to Unconnected; the device stays open.
			if s := e.State(); s == HostLookupState || s == ConnectingState {
				e.record(transport.SocketTimeoutError, op, textSocketTimeout)
				e.dropAttempt()
			}
			return
		}
		_ = e.failText(transport.SocketTimeoutError, op, textTimeout)
	})
	return transport.TimeoutError(op, "", err)
}

// canReceive reports whether data may still arrive: a connection (or an
// attempt), or a bound datagram socket.
func (e *Engine) canReceive() bool {
	switch e.State() {
	case UnconnectedState, ListeningState:
		return false
	case BoundState:
		return e.cfg.Type == UdpSocket
	}
	return true
}
