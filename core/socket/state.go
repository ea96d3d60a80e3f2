package socket

import "strconv"

// State is Qt's QAbstractSocket::SocketState, same names and values.
type State int

// The socket states.
const (
	UnconnectedState State = 0 // not connected
	HostLookupState  State = 1 // looking up the host name
	ConnectingState  State = 2 // connecting to one of the host's addresses
	ConnectedState   State = 3 // connected
	BoundState       State = 4 // bound to an address and port
	ListeningState   State = 5 // listening (servers only)
	ClosingState     State = 6 // about to close: flushing the write buffer
)

var stateNames = [...]string{
	"UnconnectedState", "HostLookupState", "ConnectingState", "ConnectedState",
	"BoundState", "ListeningState", "ClosingState",
}

// String returns Qt's enumerator name, e.g. "ConnectedState".
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// Type is Qt's QAbstractSocket::SocketType.
type Type int

// The socket types.
const (
	UnknownSocketType Type = -1
	TcpSocket         Type = 0
	UdpSocket         Type = 1
	SctpSocket        Type = 2
)

// String returns Qt's enumerator name.
func (t Type) String() string {
	switch t {
	case TcpSocket:
		return "TcpSocket"
	case UdpSocket:
		return "UdpSocket"
	case SctpSocket:
		return "SctpSocket"
	case UnknownSocketType:
		return "UnknownSocketType"
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// OpenMode is Qt's QIODevice::OpenMode: how the device is open.
type OpenMode int

// The open-mode flags.
const (
	NotOpen    OpenMode = 0x00
	ReadOnly   OpenMode = 0x01
	WriteOnly  OpenMode = 0x02
	ReadWrite  OpenMode = ReadOnly | WriteOnly
	Append     OpenMode = 0x04
	Truncate   OpenMode = 0x08
	Text       OpenMode = 0x10
	Unbuffered OpenMode = 0x20
)

// IsReadable reports whether the mode includes ReadOnly.
func (m OpenMode) IsReadable() bool { return m&ReadOnly != 0 }

// IsWritable reports whether the mode includes WriteOnly.
func (m OpenMode) IsWritable() bool { return m&WriteOnly != 0 }

// String returns the flags as Qt's names joined by "|", "NotOpen" for none.
func (m OpenMode) String() string {
	if m == NotOpen {
		return "NotOpen"
	}
	names := []struct {
		f OpenMode
		n string
	}{{ReadWrite, "ReadWrite"}, {ReadOnly, "ReadOnly"}, {WriteOnly, "WriteOnly"},
		{Append, "Append"}, {Truncate, "Truncate"}, {Text, "Text"}, {Unbuffered, "Unbuffered"}}
	s, rest := "", m
	for _, e := range names {
		if rest&e.f == e.f {
			if s != "" {
				s += "|"
			}
			s += e.n
			rest &^= e.f
		}
	}
	if rest != 0 {
		if s != "" {
			s += "|"
		}
		s += "0x" + strconv.FormatInt(int64(rest), 16)
	}
	return s
}
