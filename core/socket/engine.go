package socket

import (
	"context"
	"errors"
	"net/netip"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/signal"
	"github.com/slotnet/slotnet/transport"
)

// LookupFunc resolves a host name to addresses, in the order to try them.
type LookupFunc = func(ctx context.Context, name string) ([]netip.Addr, error)

// Config configures an Engine.
type Config struct {
	Type      Type                // TcpSocket for streams
	Transport transport.Transport // required
	Lookup    LookupFunc          // nil: Transport.LookupHost
	Logger    *zap.Logger         // nil: a no-op logger
}

// Engine is QAbstractSocket: the state machine, the signals and the
// QIODevice buffers that tcp.Socket (and udp.Socket) are made of. It lives
// in the context of its Object: on the object's loop, or, for an object
// without a loop (blocking mode), on the goroutine that uses it, which
// drives it through the WaitFor… calls.
//
// Its methods must be called in that context. Called on a loop-bound
// socket from another goroutine, the ones that return an error return
// core.ErrWrongLoop and do nothing; State and the WaitFor… calls are safe
// from any goroutine.
type Engine struct {
	*core.Object

	// HostFound is emitted when the host lookup succeeded, before the
	// connection attempt.
	HostFound signal.Signal0
	// Connected is emitted when the connection is established.
	Connected signal.Signal0
	// Disconnected is emitted when a connected socket has closed.
	Disconnected signal.Signal0
	// StateChanged is emitted with each new state.
	StateChanged signal.Signal[State]
	// ErrorOccurred is emitted with each error; Error and ErrorString
	// describe it.
	ErrorOccurred signal.Signal[transport.SocketError]
	// ReadyRead is emitted when new data is available to read; not again
	// until the loop has delivered more.
	ReadyRead signal.Signal0
	// BytesWritten is emitted with how many bytes the transport accepted.
	BytesWritten signal.Signal[int64]
	// AboutToClose is emitted when Close or Abort begins.
	AboutToClose signal.Signal0
	// ReadChannelFinished is emitted when the read channel has closed: no
	// more data will arrive (buffered data may still be read).
	ReadChannelFinished signal.Signal0

	cfg Config
	log *zap.Logger

	state     atomic.Int32
	errCode   transport.SocketError
	errString string
	openMode  OpenMode
	valid     bool

	peerName string
	peer     netip.AddrPort
	local    netip.AddrPort
	bound    netip.AddrPort // Bind's address, used by the next connect

	rbuf     chunks // what Read sees
	inTx     bool   // a read transaction is open (StartTransaction)
	txPos    int    // bytes of rbuf the transaction has read
	rbufSize int    // SetReadBufferSize; 0: unbounded
	pre      chunks // written before the link exists
	toWrite  int64  // written and not yet reported by BytesWritten
	written  int64  // reported by BytesWritten since the socket was made
	link     *link

	// connecting
	attempt      *attempt
	pendingClose bool // DisconnectFromHost while looking up or connecting
	closeCalled  bool // … and it was Close: the device is closed afterwards

	// progress counters for the WaitFor… conditions
	readSeq     uint64 // ReadyRead-worthy arrivals
	writtenSeq  uint64 // BytesWritten emissions
	inReadyRead bool

	// datagrams (UdpSocket)
	dg         *dlink
	dq         []Datagram // received, not yet read
	dgNotified bool       // ReadyRead emitted, no datagram read since
	mcastIface string

	options map[transport.SocketOption]int
	flush   *core.Notifier // Write's deferred start of the writer
}

// New makes an engine on obj, binding the signals to it.
func New(obj *core.Object, cfg Config) (*Engine, error) {
	if obj == nil {
		return nil, errors.New("socket: nil object")
	}
	if cfg.Transport == nil {
		return nil, errors.New("socket: no transport")
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	e := &Engine{Object: obj, cfg: cfg, log: cfg.Logger, errCode: transport.UnknownSocketError}
	if err := obj.BindSignals(e); err != nil {
		return nil, err
	}
	e.flush = obj.NewNotifier(e.flushNow)
	obj.AddDestroyHook(e.destroyed)
	return e, nil
}

// destroyed ends everything the socket owns, without signals (they died
// with the object).
func (e *Engine) destroyed() {
	if e.attempt != nil {
		e.attempt.cancel()
		e.attempt = nil
	}
	if e.link != nil {
		e.link.close(true)
		e.link = nil
	}
	if e.dg != nil {
		e.dg.close()
		e.dg = nil
	}
	e.state.Store(int32(UnconnectedState))
}

// Type returns the socket type.
func (e *Engine) SocketType() Type { return e.cfg.Type }

// Transport returns the transport the socket runs over.
func (e *Engine) Transport() transport.Transport { return e.cfg.Transport }

// State returns the current state. Safe from any goroutine.
func (e *Engine) State() State { return State(e.state.Load()) }

// Error returns the last error's code; UnknownSocketError before any.
func (e *Engine) Error() transport.SocketError { return e.errCode }

// ErrorString returns the last error's text, as Qt words it; "Unknown
// error" before any.
func (e *Engine) ErrorString() string {
	if e.errString == "" {
		return "Unknown error"
	}
	return e.errString
}

// OpenMode returns how the device is open: ReadWrite from ConnectToHost
// until Close or Abort.
func (e *Engine) OpenMode() OpenMode { return e.openMode }

// IsOpen reports whether the device is open.
func (e *Engine) IsOpen() bool { return e.openMode != NotOpen }

// IsValid reports whether the socket has a native socket (or is about to):
// true from ConnectToHost or Bind until Close or Abort.
func (e *Engine) IsValid() bool { return e.valid }

// IsSequential is true: a socket is a stream of bytes, not a file.
func (e *Engine) IsSequential() bool { return true }

// PeerName returns the host name given to ConnectToHost ("" before).
func (e *Engine) PeerName() string { return e.peerName }

// PeerAddress returns the connected peer's address (invalid when not
// connected).
func (e *Engine) PeerAddress() netip.Addr { return e.peer.Addr() }

// PeerPort returns the connected peer's port (0 when not connected).
func (e *Engine) PeerPort() int { return int(e.peer.Port()) }

// LocalAddress returns the local address (invalid when neither bound nor
// connected).
func (e *Engine) LocalAddress() netip.Addr { return e.local.Addr() }

// LocalPort returns the local port (0 when neither bound nor connected).
func (e *Engine) LocalPort() int { return int(e.local.Port()) }

// Stream returns the connected transport stream, nil when not connected
// (Qt's socketDescriptor). Reading or writing it directly bypasses the
// socket's buffers.
func (e *Engine) Stream() transport.Stream {
	if e.link == nil {
		return nil
	}
	return e.link.conn
}

// setState changes the state and emits StateChanged if it changed.
func (e *Engine) setState(s State) {
	if State(e.state.Swap(int32(s))) == s {
		return
	}
	if e.debug() {
		e.log.Debug("state", zap.Stringer("state", s), zap.String("object", e.ObjectName()))
	}
	e.StateChanged.Emit(s)
}

// setError records an error without emitting.
func (e *Engine) setError(code transport.SocketError, text string) {
	e.errCode = code
	e.errString = text
}

// fail records an error, emits ErrorOccurred and returns the error value
// for the caller.
func (e *Engine) fail(code transport.SocketError, op string, cause error) error {
	text := errorText(code, cause)
	return e.report(code, op, text, causeOr(cause, text))
}

// failText is fail with Qt's text given.
func (e *Engine) failText(code transport.SocketError, op, text string) error {
	return e.report(code, op, text, textError(text))
}

// report records an error, logs it, emits ErrorOccurred and returns the
// error value for the caller.
func (e *Engine) report(code transport.SocketError, op, text string, cause error) error {
	e.record(code, op, text)
	e.ErrorOccurred.Emit(code)
	return &transport.Error{Code: code, Op: op, Addr: e.addrText(), Err: cause}
}

// record sets the socket's error and logs it, without emitting.
func (e *Engine) record(code transport.SocketError, op, text string) {
	e.setError(code, text)
	if e.debug() {
		e.log.Debug("error", zap.Stringer("code", code), zap.String("op", op), zap.String("text", text),
			zap.String("object", e.ObjectName()))
	}
}

// refuse returns an error for a call that Qt ignores with a warning: the
// socket's error is not changed (as Qt) and nothing is emitted.
func (e *Engine) refuse(code transport.SocketError, op, text string) error {
	if e.debug() {
		e.log.Debug("refused", zap.String("op", op), zap.String("why", text), zap.String("object", e.ObjectName()))
	}
	return &transport.Error{Code: code, Op: op, Addr: e.addrText(), Err: errors.New(text)}
}

func (e *Engine) addrText() string {
	if e.peer.IsValid() {
		return e.peer.String()
	}
	return ""
}

type textError string

func (t textError) Error() string { return string(t) }

func causeOr(cause error, text string) error {
	if cause != nil {
		return cause
	}
	return textError(text)
}

// debug reports whether Debug entries are wanted: checked first, so a
// no-op logger costs no field allocations on the hot paths.
func (e *Engine) debug() bool { return e.log.Core().Enabled(zap.DebugLevel) }
