// Package fortune is the protocol of Qt's fortune examples, shared by the
// fortune server, client, blocking client and threaded server under
// examples/: a server answers every connection with one fortune, a QString
// in QDataStream's format, and closes it.
//
// Qt's examples framed the fortune two ways over the years, and both are
// here (Framing):
//
//   - Qt 5.6 and before (Qt56): a big-endian quint16 byte count, then the
//     QString (stream version Qt_4_0). The client reads the count once two
//     bytes are there, then waits until that many bytes are.
//   - Qt 5.7 and after (Qt57): the bare QString (stream version Qt_5_10).
//     The client reads it inside a DataStream transaction, which rolls back
//     and is retried on the next ReadyRead until the string is complete.
//
// Everything takes socket options (socket.WithTransport, …), so tests and
// demos run server and client in one process over the in-memory network
// as well as over the operating system's loopback.
package fortune

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/slotnet/slotnet/core"
)

// Framing is how a fortune is framed on the wire.
type Framing int

const (
	// Qt57 is Qt 5.7's framing and the default: the bare QString, read in
	// a DataStream transaction.
	Qt57 Framing = iota
	// Qt56 is Qt 5.6's framing: a big-endian quint16 byte count, then the
	// QString.
	Qt56
)

// String returns the flag value naming f: "qt57" or "qt56".
func (f Framing) String() string {
	switch f {
	case Qt57:
		return "qt57"
	case Qt56:
		return "qt56"
	}
	return fmt.Sprintf("Framing(%d)", int(f))
}

// ParseFraming parses a -framing flag value: "qt57" or "qt56".
func ParseFraming(s string) (Framing, error) {
	switch s {
	case "qt57":
		return Qt57, nil
	case "qt56":
		return Qt56, nil
	}
	return 0, fmt.Errorf("fortune: unknown framing %q (want qt57 or qt56)", s)
}

// Set implements flag.Value.
func (f *Framing) Set(s string) error {
	v, err := ParseFraming(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// version is the stream version each of Qt's examples sets.
func (f Framing) version() core.StreamVersion {
	if f == Qt56 {
		return core.Qt_4_0
	}
	return core.Qt_5_10
}

// Fortunes are the server's sayings (the Qt example has its own; these are
// slotnet's).
var Fortunes = []string{
	"A signal emitted in haste is received at leisure.",
	"The loop that never returns has no time for your timers.",
	"Every byte you write is a promise the peer will keep reading.",
	"He who blocks the event loop waits alone.",
	"A queued connection crosses threads; a direct one crosses your mind.",
	"There is no ReadyRead like the first ReadyRead.",
	"Today the network is fast; tomorrow it is partitioned.",
}

// ErrTooLong is returned by Frame for a fortune that Qt 5.6's quint16 byte
// count cannot describe.
var ErrTooLong = errors.New("fortune: too long for a quint16 byte count")

// Frame returns fortune framed as f, ready to write.
func Frame(f Framing, fortune string) ([]byte, error) {
	var body bytes.Buffer
	ds := core.NewDataStreamWriter(&body)
	if err := ds.SetVersion(f.version()); err != nil {
		return nil, err
	}
	ds.WriteString(fortune)
	if err := ds.Err(); err != nil {
		return nil, err
	}
	switch f {
	case Qt57:
		return body.Bytes(), nil
	case Qt56:
		if body.Len() > 0xFFFF {
			return nil, ErrTooLong
		}
		frame := make([]byte, 2, 2+body.Len())
		frame[0], frame[1] = byte(body.Len()>>8), byte(body.Len())
		return append(frame, body.Bytes()...), nil
	}
	return nil, fmt.Errorf("fortune: unknown framing %d", int(f))
}

// Device is what a Reader reads from: a socket (tcp.Socket is one), whose
// Read returns what is buffered, 0 bytes when nothing is.
type Device interface {
	io.Reader
	BytesAvailable() int64
}

// Reader reads fortunes from a device as their bytes arrive: call Next on
// each ReadyRead (or after each WaitForReadyRead) until it has one. It keeps
// the state of a fortune partly read between calls, as Qt's clients keep
// their QDataStream and blockSize members.
type Reader struct {
	framing Framing
	dev     Device
	in      *core.DataStream
	size    int // Qt56: the byte count read, -1 until then
}

// NewReader returns a reader of fortunes framed as f from dev.
func NewReader(f Framing, dev Device) *Reader {
	in := core.NewDataStreamReader(dev)
	_ = in.SetVersion(f.version()) // a supported version
	return &Reader{framing: f, dev: dev, in: in, size: -1}
}

// Next returns the next fortune once all of it has arrived; ok is false
// while it has not (wait for more and call again). An error means the
// bytes are not a fortune.
func (r *Reader) Next() (fortune string, ok bool, err error) {
	if r.framing == Qt56 {
		return r.next56()
	}
	return r.next57()
}

// next57 is Qt 5.7's client: the QString in a transaction, which a short
// read rolls back so that the next call starts over with more bytes.
func (r *Reader) next57() (string, bool, error) {
	r.in.StartTransaction()
	s := r.in.ReadString()
	if r.in.CommitTransaction() {
		return s, true, nil
	}
	if r.in.Status() == core.StatusReadPastEnd {
		return "", false, nil
	}
	return "", false, fmt.Errorf("fortune: bad frame: %w", r.in.Err())
}

// next56 is Qt 5.6's client: the byte count once two bytes are there, then
// the QString once that many are. The block is decoded on its own, so a
// string that disagrees with its count is an error, not a misread stream.
func (r *Reader) next56() (string, bool, error) {
	if r.size < 0 {
		if r.dev.BytesAvailable() < 2 {
			return "", false, nil
		}
		r.size = int(r.in.ReadUint16())
		if err := r.in.Err(); err != nil {
			return "", false, fmt.Errorf("fortune: reading the byte count: %w", err)
		}
	}
	if r.dev.BytesAvailable() < int64(r.size) {
		return "", false, nil
	}
	block := make([]byte, r.size)
	if n := r.in.ReadRawData(block); n != r.size {
		return "", false, fmt.Errorf("fortune: read %d of %d bytes: %w", n, r.size, r.in.Err())
	}
	r.size = -1
	ds := core.NewDataStreamBytes(block)
	_ = ds.SetVersion(r.framing.version())
	s := ds.ReadString()
	if err := ds.Err(); err != nil {
		return "", false, fmt.Errorf("fortune: bad block: %w", err)
	}
	if ds.SkipRawData(1) != 0 {
		return "", false, errors.New("fortune: bad block: bytes after the string")
	}
	return s, true, nil
}
