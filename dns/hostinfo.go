package dns

import (
	"errors"

	"github.com/slotnet/slotnet/transport"
)

// HostInfoError is Qt's QHostInfo::HostInfoError.
type HostInfoError int

// The errors, in Qt's order.
const (
	NoError HostInfoError = iota
	HostNotFound
	UnknownError
)

// String returns the error's Qt name.
func (e HostInfoError) String() string {
	switch e {
	case NoError:
		return "NoError"
	case HostNotFound:
		return "HostNotFound"
	}
	return "UnknownError"
}

// HostInfo is Qt's QHostInfo: the result of a lookup.
type HostInfo struct {
	HostName    string                  // the name looked up (for a reverse lookup, the name found)
	Addresses   []transport.HostAddress // the addresses found, none on error
	Error       HostInfoError
	ErrorString string // Qt's text: "Unknown error" when there is no error, as in Qt
	LookupID    int    // the id LookupHost returned; -1 for FromName
	Err         error  // the Go error behind Error (nil for NoError)
}

// Errors for bad input and misuse; each is wrapped with detail.
var (
	ErrNoHostName   = errors.New("dns: no host name given")
	ErrInvalidName  = errors.New("dns: invalid hostname")
	ErrUnknownID    = errors.New("dns: no lookup with this id is pending")
	ErrLoopClosed   = errors.New("dns: the receiver's loop is closed")
	ErrNoLoop       = errors.New("dns: the receiver has no loop to deliver the result on")
	ErrDestroyed    = errors.New("dns: the receiver is destroyed")
	ErrNilSlot      = errors.New("dns: nil slot")
	ErrNilResolver  = errors.New("dns: nil resolver")
	errHostNotFound = errors.New("dns: host not found")
)

// Qt's error strings.
const (
	qtUnknownError    = "Unknown error"
	qtHostNotFound    = "Host not found"
	qtNoHostName      = "No host name given"
	qtInvalidHostname = "Invalid hostname"
)

func failed(name string, code HostInfoError, text string, err error) HostInfo {
	return HostInfo{HostName: name, Error: code, ErrorString: text, LookupID: -1, Err: err}
}
