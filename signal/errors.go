package signal

import "errors"

// Errors returned by Connect. They match with errors.Is; the error Connect
// returns may wrap one of them with detail.
var (
	// ErrNilSlot is returned when the slot function is nil.
	ErrNilSlot = errors.New("signal: nil slot")
	// ErrDuplicateConnection is returned when a connection made with
	// UniqueConnection(key) already exists on the signal with the same key.
	ErrDuplicateConnection = errors.New("signal: duplicate unique connection")
	// ErrReceiverDestroyed is returned when the receiver's Host has already
	// been destroyed.
	ErrReceiverDestroyed = errors.New("signal: receiver destroyed")
	// ErrNoReceiver is returned for a Queued or BlockingQueued connection
	// that has neither a receiver (To) nor a bound emitter to stand in for it.
	ErrNoReceiver = errors.New("signal: queued connection without receiver")
	// ErrNoLoop is returned for a Queued or BlockingQueued connection whose
	// receiver has no loop (no Dispatcher) at connect time. Package core
	// returns the same value (core.ErrNoLoop) wherever a loop is needed.
	ErrNoLoop = errors.New("slotnet: object has no loop")
	// ErrInvalidOption is returned for a bad connect option: an unknown Kind,
	// a nil receiver or an empty UniqueConnection key.
	ErrInvalidOption = errors.New("signal: invalid connect option")
)
