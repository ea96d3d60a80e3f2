package socket

import (
	"errors"
	"io"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// DisconnectFromHost closes the connection gracefully (Qt's
// disconnectFromHost): the state becomes ClosingState, every pending byte
// is sent, then the state becomes UnconnectedState and Disconnected is
// emitted — at once when nothing is pending. While looking up or
// connecting, the close happens once connected (after sending what was
// written). Unconnected or bound: it does nothing.
func (e *Engine) DisconnectFromHost() error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	switch e.State() {
	case HostLookupState, ConnectingState:
		e.pendingClose = true
		return nil
	case ConnectedState, BoundState:
		e.disconnect()
	}
	return nil
}

// disconnect is the connected socket's graceful close.
func (e *Engine) disconnect() {
	// First report what the goroutines have done already (Qt would have
	// emitted it before this call): BytesWritten before ClosingState.
	if l := e.link; l != nil {
		e.service(l)
		if e.link != l || e.State() != ConnectedState {
			return
		}
	}
	if s := e.State(); s != ConnectedState && s != BoundState {
		return
	}
	e.setState(ClosingState)
	if e.State() != ClosingState {
		return
	}
	switch {
	case e.link == nil:
		e.finish(false)
	case e.toWrite == 0:
		e.finish(false)
	default:
		// The writer drains the buffer; service finishes the close then.
		e.link.kick()
	}
}

// dropAttempt abandons a lookup or connection attempt: Unconnected, with
// no other signal (a timed-out WaitForConnected).
func (e *Engine) dropAttempt() {
	if e.attempt != nil {
		e.attempt.stop()
		e.attempt = nil
	}
	e.pendingClose = false
	e.peer = netip.AddrPort{}
	if e.State() != BoundState {
		e.resetLocal()
	}
	e.setState(UnconnectedState)
}

// finish closes the connection and reports it: UnconnectedState,
// ReadChannelFinished, Disconnected (this one only if it was connected).
func (e *Engine) finish(abort bool) {
	was := e.State()
	if e.attempt != nil {
		e.attempt.stop()
		e.attempt = nil
	}
	if e.link != nil {
		e.link.close(abort)
		e.link = nil
	}
	e.pre.reset()
	e.toWrite = 0
	e.pendingClose = false
	e.peer = netip.AddrPort{}
	e.resetLocal()
	e.setState(UnconnectedState)
	if e.dg != nil {
		e.dg.close()
		e.dg = nil
	}
	e.dq = nil
	if was == UnconnectedState {
		return
	}
	e.ReadChannelFinished.Emit()
	if was == ConnectedState || was == ClosingState {
		e.Disconnected.Emit()
	}
	if e.closeCalled {
		e.closeCalled = false
		e.openMode = NotOpen
		e.valid = false
	}
}

func (e *Engine) resetLocal() {
	e.local = netip.AddrPort{}
	e.bound = netip.AddrPort{}
}

// Close closes the device (Qt's close): AboutToClose, then the graceful
// close of DisconnectFromHost (pending data is still sent); the read buffer
// is emptied and the device is no longer open.
func (e *Engine) Close() error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if e.openMode != NotOpen {
		e.AboutToClose.Emit()
	}
	e.openMode = NotOpen
	e.clearRead()
	if e.link != nil {
		e.link.consumed(1 << 62)
	}
	switch e.State() {
	case HostLookupState, ConnectingState:
		e.pendingClose = true
		e.closeCalled = true
		return nil
	case ConnectedState, BoundState:
		e.closeCalled = true
		e.disconnect()
		if e.State() == UnconnectedState {
			e.valid = false
		}
	case ClosingState:
		e.closeCalled = true
	default:
		e.valid = false
		e.resetLocal()
	}
	return nil
}

// Abort closes at once, dropping pending data (Qt's abort): AboutToClose,
// UnconnectedState, ReadChannelFinished, and Disconnected if it was
// connected. An attempt to connect is cancelled.
func (e *Engine) Abort() error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if e.State() == UnconnectedState {
		e.openMode = NotOpen
		e.valid = false
		return nil
	}
	if e.openMode != NotOpen {
		e.AboutToClose.Emit()
	}
	e.openMode = NotOpen
	e.clearRead()
	e.finish(true)
	e.openMode = NotOpen
	e.valid = false
	return nil
}

// service runs on the owner whenever the link's goroutines have news.
func (e *Engine) service(l *link) {
	if e.link != l {
		return
	}
	h := l.collect(&e.rbuf)
	if e.openMode == NotOpen && h.read > 0 {
		// closed device: what arrives is dropped, as Qt's closed socket
		e.clearRead()
		l.consumed(h.read)
	}
	if h.written > 0 {
		e.toWrite -= h.written
		e.written += h.written
		e.writtenSeq++
		e.BytesWritten.Emit(h.written)
		if e.link != l {
			return
		}
	}
	if h.read > 0 && e.openMode != NotOpen {
		e.readSeq++
		if !e.inReadyRead {
			e.inReadyRead = true
			e.ReadyRead.Emit()
			e.inReadyRead = false
			if e.link != l {
				return
			}
		}
	}
	if h.werr != nil {
		code := transport.CodeOf(h.werr)
		if code == transport.UnknownSocketError {
			code = transport.Classify(h.werr)
		}
		e.fail(code, "write", h.werr)
		if e.link == l {
			e.abortQuiet()
		}
		return
	}
	if e.State() == ClosingState && e.toWrite == 0 {
		e.finish(false)
		return
	}
	if h.rerr != nil && !l.eofSeen {
		l.eofSeen = true
		e.remoteClosed(h.rerr)
	}
}

// remoteClosed handles the end of the read channel: Qt reports
// RemoteHostClosedError while still connected, then closes gracefully.
func (e *Engine) remoteClosed(err error) {
	code := transport.RemoteHostClosedError
	if !errors.Is(err, io.EOF) {
		if c := transport.Classify(err); c != transport.UnknownSocketError && c != transport.OperationError {
			code = c
		}
	}
	l := e.link
	e.fail(code, "read", err)
	if e.link != l || e.State() != ConnectedState {
		return
	}
	e.disconnect()
}

// abortQuiet is the abort that follows an error: Qt's abort, emitting
// AboutToClose only if the device is open.
func (e *Engine) abortQuiet() {
	if e.openMode != NotOpen {
		e.AboutToClose.Emit()
	}
	e.openMode = NotOpen
	e.finish(true)
	e.valid = false
}
