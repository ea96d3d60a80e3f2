package remote

import (
	"errors"
	"fmt"
)

var (
	// ErrProtocol: a message does not follow the protocol (bad or missing
	// headers, an unknown major version, a malformed snapshot).
	ErrProtocol = errors.New("remote: protocol error")
	// ErrDecode: a payload could not be decoded; see DecodeError.
	ErrDecode = errors.New("remote: cannot decode payload")
	// ErrInvalidName: a source, member or prefix name is not a NATS token.
	ErrInvalidName = errors.New("remote: invalid name")
	// ErrDuplicateMember: a member name is exposed or expected twice.
	ErrDuplicateMember = errors.New("remote: duplicate member")
	// ErrStarted: the source or replica is already started, so its
	// interface can no longer change.
	ErrStarted = errors.New("remote: already started")
	// ErrClosed: the source or replica is closed.
	ErrClosed = errors.New("remote: closed")
	// ErrNoResponders: no source answers the slot's subject (nats reports
	// it at once, without waiting for the timeout).
	ErrNoResponders = errors.New("remote: no source responds")
	// ErrTimeout: the source did not answer in time.
	ErrTimeout = errors.New("remote: timed out")
	// ErrSignatureMismatch: the source's interface differs from the replica's.
	ErrSignatureMismatch = errors.New("remote: signature mismatch")
	// ErrNotValid: a remote slot was called on a replica that is not Valid.
	ErrNotValid = errors.New("remote: replica is not valid")
)

// DecodeError reports bytes a codec could not decode.
type DecodeError struct {
	Type string // the Go type wanted
	Err  error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("remote: cannot decode %s: %v", e.Type, e.Err)
}

// Unwrap returns the codec's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is matches ErrDecode.
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }

// SlotError is the error a remote slot returned on the source, carried back
// to the caller. Code is the slot's code (see NewSlotError; "500" for a
// plain error), Message its text.
type SlotError struct {
	Slot    string
	Code    string
	Message string
}

func (e *SlotError) Error() string {
	return fmt.Sprintf("remote: slot %s failed (%s): %s", e.Slot, e.Code, e.Message)
}

// NewSlotError returns an error that a slot handler returns to send code
// and message to the caller.
func NewSlotError(code, message string) error { return &SlotError{Code: code, Message: message} }
