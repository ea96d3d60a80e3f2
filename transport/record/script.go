package record

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Script is one recorded session: the connections and datagram sockets it
// used (the header) and what happened on them, in order (the events).
// Parse reads it from its text form and Marshal writes it; a Script is plain
// data, so a test may also build or edit one in Go.
type Script struct {
	// Comment holds the header's comment lines, without their leading '#'.
	Comment []string
	// Conns are the recorded stream connections, by ID.
	Conns []Conn
	// Sockets are the recorded datagram sockets, by ID.
	Sockets []Socket
	// Events are the actions, in the order they happened.
	Events []Event
}

// Conn is one recorded stream connection: the client (the recorded side,
// which dialed) and the server it reached.
type Conn struct {
	ID     int
	Client netip.AddrPort
	Server netip.AddrPort
}

// Socket is one recorded datagram socket of the client, by its local
// address.
type Socket struct {
	ID    int
	Local netip.AddrPort
}

// Side says which end acted: the recorded client or the remote server.
type Side uint8

// The two ends of a recorded connection or datagram exchange.
const (
	Client Side = iota // the recorded side: it dialed, or owns the datagram socket
	Server             // the remote end
)

// String returns "client" or "server".
func (s Side) String() string {
	if s == Server {
		return "server"
	}
	return "client"
}

// Kind is what an Event records.
type Kind uint8

// The kinds of events, with their section names in the text form
// (N is the connection or socket ID, SIDE is client or server).
const (
	Open       Kind = iota // conn N open: the client's dial succeeded
	Send                   // conn N SIDE send: bytes sent; the body is the bytes
	Fin                    // conn N SIDE fin: a half-close (CloseWrite, or a Read's io.EOF)
	Close                  // conn N client close: the client's Close (the server sees a FIN)
	Reset                  // conn N SIDE reset: an abortive close (Abort, or a Read's ECONNRESET)
	Datagram               // udp N SIDE send ADDR:PORT: one datagram to (client) or from (server) ADDR:PORT
	Lookup                 // lookup NAME: a LookupHost and its answer, one address a line
	LookupAddr             // lookupaddr ADDR: a LookupAddr and its answer, one name a line
)

var kindNames = [...]string{"open", "send", "fin", "close", "reset", "datagram", "lookup", "lookupaddr"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// LookupError is how a recorded lookup failed, in the in-memory Zone's
// terms; the empty string is a lookup that answered.
type LookupError string

// The recorded lookup failures: a body line "error nxdomain" and so on.
const (
	NXDomain LookupError = "nxdomain" // the name does not exist (or has no address)
	ServFail LookupError = "servfail" // the server failed
	Timeout  LookupError = "timeout"  // no answer in time
)

// Event is one recorded action.
type Event struct {
	// Delay is the time since the previous event of the script (since the
	// recording began, for the first), to the microsecond.
	Delay time.Duration
	Kind  Kind
	// ID is the connection (Open, Send, Fin, Close, Reset) or datagram
	// socket (Datagram) the event belongs to; 0 for lookups.
	ID   int
	Side Side
	// Peer is a datagram's remote address: its destination when the client
	// sent it, its source when the server did.
	Peer netip.AddrPort
	// Data is what was sent (Send, Datagram).
	Data []byte
	// Regexp, on a client's Send, makes Data an RE2 pattern that the
	// client's bytes must match instead of the bytes themselves: the
	// replay expects it with peer's ExpectRegexp. A recording never sets it;
	// write it by hand, or from the redaction hook, for what changes from
	// run to run (a date, a nonce, a password). The pattern is one line of
	// printable text; end it with a delimiter ("\r\n"), because the match
	// is taken as soon as the bytes received match.
	Regexp bool
	// Name is the name looked up (Lookup) or the address (LookupAddr).
	Name string
	// Answers are the lookup's answer: addresses for Lookup, names for
	// LookupAddr.
	Answers []string
	// Err is how the lookup failed ("" when it answered).
	Err LookupError
}

// ErrSyntax is wrapped by every error Parse and Marshal return for a
// malformed script.
var ErrSyntax = errors.New("record: bad script")

// syntaxErr returns an error wrapping ErrSyntax.
func syntaxErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSyntax, fmt.Sprintf(format, args...))
}

// Validate reports the first thing that keeps s from being written and
// read back: events of undeclared connections or sockets, duplicate IDs,
// names that do not fit a section line, kinds that do not take a side.
func (s *Script) Validate() error {
	conns, socks, err := s.declared()
	if err != nil {
		return err
	}
	for i, line := range s.Comment {
		if strings.ContainsAny(line, "\r\n") {
			return syntaxErr("comment %d has a line break", i)
		}
	}
	for i := range s.Events {
		if err := s.Events[i].validate(conns, socks); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

// declared checks the header and returns the declared IDs.
func (s *Script) declared() (conns, socks map[int]bool, err error) {
	conns, socks = map[int]bool{}, map[int]bool{}
	for _, c := range s.Conns {
		if c.ID <= 0 || conns[c.ID] {
			return nil, nil, syntaxErr("conn %d: IDs are positive and unique", c.ID)
		}
		if !c.Client.IsValid() || !c.Server.IsValid() {
			return nil, nil, syntaxErr("conn %d: client and server need addresses", c.ID)
		}
		conns[c.ID] = true
	}
	for _, k := range s.Sockets {
		if k.ID <= 0 || socks[k.ID] {
			return nil, nil, syntaxErr("udp %d: IDs are positive and unique", k.ID)
		}
		if !k.Local.IsValid() {
			return nil, nil, syntaxErr("udp %d: needs a local address", k.ID)
		}
		socks[k.ID] = true
	}
	return conns, socks, nil
}

// validate checks one event against the declared IDs.
func (e *Event) validate(conns, socks map[int]bool) error {
	if e.Delay < 0 {
		return syntaxErr("negative delay %v", e.Delay)
	}
	if e.Side > Server {
		return syntaxErr("bad side %d", e.Side)
	}
	if err := e.validateFields(); err != nil {
		return err
	}
	switch e.Kind {
	case Open, Send, Fin, Close, Reset:
		if !conns[e.ID] {
			return syntaxErr("conn %d is not in the header", e.ID)
		}
		if (e.Kind == Open || e.Kind == Close) && e.Side != Client {
			return syntaxErr("conn %d %v is the client's", e.ID, e.Kind)
		}
	case Datagram:
		if !socks[e.ID] {
			return syntaxErr("udp %d is not in the header", e.ID)
		}
		if !e.Peer.IsValid() {
			return syntaxErr("udp %d: a datagram needs a peer address", e.ID)
		}
	case Lookup, LookupAddr:
		if e.Name == "" || strings.ContainsAny(e.Name, " \t\r\n") || strings.HasPrefix(e.Name, "+") {
			return syntaxErr("%v: bad name %q", e.Kind, e.Name)
		}
		return validateAnswers(e)
	default:
		return syntaxErr("unknown kind %v", e.Kind)
	}
	return nil
}

// validateFields checks that the fields the kind does not use are zero,
// since the text form has no place for them.
func (e *Event) validateFields() error {
	lookup := e.Kind == Lookup || e.Kind == LookupAddr
	switch {
	case len(e.Data) > 0 && e.Kind != Send && e.Kind != Datagram:
		return syntaxErr("a %v event carries no data", e.Kind)
	case e.Peer.IsValid() && e.Kind != Datagram:
		return syntaxErr("a %v event has no peer address", e.Kind)
	case !lookup && (e.Name != "" || len(e.Answers) > 0 || e.Err != ""):
		return syntaxErr("a %v event has no name, answers or error", e.Kind)
	case lookup && (e.ID != 0 || e.Side != Client):
		return syntaxErr("a %v event has no ID or side", e.Kind)
	case e.Regexp:
		return validateRegexp(e)
	}
	return nil
}

// validateRegexp checks a client's Send given as a pattern.
func validateRegexp(e *Event) error {
	if e.Kind != Send || e.Side != Client {
		return syntaxErr("only a client's conn send can be a regexp")
	}
	if len(e.Data) == 0 || !isPlain(append(slices.Clip(e.Data), '\n')) || bytes.IndexByte(e.Data, '\n') >= 0 {
		return syntaxErr("conn %d: a regexp is one non-empty line of printable text: %q", e.ID, e.Data)
	}
	if _, err := regexp.Compile(string(e.Data)); err != nil {
		return syntaxErr("conn %d: bad regexp: %v", e.ID, err)
	}
	return nil
}

// validateAnswers checks that a lookup's answers fit one line each and
// that a failed lookup has none.
func validateAnswers(e *Event) error {
	switch e.Err {
	case "", NXDomain, ServFail, Timeout:
	default:
		return syntaxErr("%v %s: unknown error %q", e.Kind, e.Name, e.Err)
	}
	if e.Err != "" && len(e.Answers) > 0 {
		return syntaxErr("%v %s: a failed lookup has no answers", e.Kind, e.Name)
	}
	for _, a := range e.Answers {
		if a == "" || strings.ContainsAny(a, " \t\r\n") {
			return syntaxErr("%v %s: bad answer %q", e.Kind, e.Name, a)
		}
		if _, err := netip.ParseAddr(a); e.Kind == Lookup && err != nil {
			return syntaxErr("lookup %s: answer %q is not an address", e.Name, a)
		}
	}
	return nil
}
