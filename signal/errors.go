package signal

import "errors"

// Errors returned by Connect, Bind and Host.BindSignals. They match with
// errors.Is; the error returned may wrap one of them with detail.
var (
	// ErrNilSlot is returned when the slot function is nil.
	ErrNilSlot = errors.New("signal: nil slot")
	// ErrDuplicateConnection is returned when a connection made with
	// UniqueConnection(key) already exists on the signal with the same key.
	ErrDuplicateConnection = errors.New("signal: duplicate unique connection")
	// ErrDestroyed is returned by Connect on a signal whose emitter (the Host
	// it is bound to) has been destroyed: a bound signal dies with its
	// object. Package core returns the same value (core.ErrDestroyed) for
	// every operation refused on a destroyed object.
	ErrDestroyed = errors.New("slotnet: object destroyed")
	// ErrReceiverDestroyed is returned when the receiver's Host has already
	// been destroyed. It matches ErrDestroyed too.
	ErrReceiverDestroyed error = &detailError{"signal: receiver destroyed", ErrDestroyed}
	// ErrNoReceiver is returned for a Queued or BlockingQueued connection
	// that has neither a receiver (To) nor a bound emitter to stand in for it.
	ErrNoReceiver = errors.New("signal: queued connection without receiver")
	// ErrNoLoop is returned for a Queued or BlockingQueued connection whose
	// receiver has no loop (no Dispatcher) at connect time. Package core
	// returns the same value (core.ErrNoLoop) wherever a loop is needed.
	ErrNoLoop = errors.New("slotnet: object has no loop")
	// ErrLoopClosed is returned by Dispatcher.Post and PostEvent once the
	// dispatcher is closed. Package core returns the same value
	// (core.ErrLoopClosed) for every operation refused by a closed loop.
	ErrLoopClosed = errors.New("slotnet: loop closed")
	// ErrInvalidOption is returned for a bad connect option: an unknown Kind,
	// a nil receiver or an empty UniqueConnection key.
	ErrInvalidOption = errors.New("signal: invalid connect option")
	// ErrBind is returned by Bind for a nil Host and by BindSignals for an
	// owner that is not a non-nil pointer to a struct.
	ErrBind = errors.New("signal: invalid bind")
	// ErrAlreadyBound is returned by Bind and BindSignals for a signal that
	// is already bound to another Host: a signal has one emitter for life.
	ErrAlreadyBound = errors.New("signal: already bound to another object")
	// ErrUnbound is returned by Connect with To(r) when r is a pointer to a
	// struct with a signal field that is bound to no Host: r's constructor
	// forgot Host.BindSignals (core.Object.BindSignals), so blocking r's
	// signals would not silence that one, destroying r would not disconnect
	// it, and Auto connections would queue its emissions even to a receiver
	// on r's own loop.
	ErrUnbound = errors.New("signal: receiver has an unbound signal")
)

// detailError is a sentinel error with its own message that also matches a
// more general one.
type detailError struct {
	msg  string
	base error
}

func (e *detailError) Error() string { return e.msg }
func (e *detailError) Unwrap() error { return e.base }
