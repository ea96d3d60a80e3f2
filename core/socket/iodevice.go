package socket

import (
	"io"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// The QIODevice side of the socket. Reads take what the loop has already
// delivered (Qt's rule: a read never waits; 0 bytes when nothing is
// buffered); writes append to the write buffer and return at once, the
// writer goroutine sends it.

// BytesAvailable returns how many bytes can be read now: for a datagram
// socket, the size of the next datagram.
func (e *Engine) BytesAvailable() int64 {
	if e.cfg.Type == UdpSocket {
		if len(e.dq) > 0 {
			return int64(len(e.dq[0].Data))
		}
		return 0
	}
	return int64(e.streamAvail())
}

// streamAvail is how many buffered stream bytes a read sees: those after
// the read transaction's position.
func (e *Engine) streamAvail() int { return e.rbuf.len() - e.txPos }

// BytesToWrite returns how many written bytes the transport has not yet
// accepted.
// It falls exactly as BytesWritten reports, on the socket's loop.
func (e *Engine) BytesToWrite() int64 { return e.toWrite }

// WrittenTotal returns how many bytes the transport has accepted since the
// socket was made: the sum of every BytesWritten, never reset. A Write's
// last byte has gone once WrittenTotal reaches WrittenTotal()+BytesToWrite()
// as taken right after that Write (the net.Conn view's Write waits so).
func (e *Engine) WrittenTotal() int64 { return e.written }

// CanReadLine reports whether a whole line ('\n'-terminated) is buffered.
func (e *Engine) CanReadLine() bool {
	return e.openMode.IsReadable() && e.rbuf.indexByte('\n', e.txPos, e.rbuf.len()) >= 0
}

// AtEnd reports whether nothing is buffered to read (for a socket, more
// may still arrive).
func (e *Engine) AtEnd() bool { return e.BytesAvailable() == 0 }

// readable checks that the device may be read.
func (e *Engine) readable(op string) error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if e.openMode == NotOpen {
		return e.refuse(transport.OperationError, op, textNotOpen)
	}
	if !e.openMode.IsReadable() {
		return e.refuse(transport.OperationError, op, textWriteOnly)
	}
	return nil
}

// took tells the reader that n buffered bytes were consumed.
func (e *Engine) took(n int) {
	if e.link != nil {
		e.link.consumed(n)
	}
}

// readStream moves up to len(b) buffered stream bytes into b: inside a
// read transaction it copies them and advances the transaction's position
// (they stay buffered until the commit), else it takes them from the
// buffer.
func (e *Engine) readStream(b []byte) int {
	if e.inTx {
		n := e.rbuf.peekAt(e.txPos, b)
		e.txPos += n
		return n
	}
	n := e.rbuf.read(b)
	e.took(n)
	return n
}

// Read moves up to len(b) buffered bytes into b. It never waits: with
// nothing buffered it returns 0 and nil while the socket is connected, and
// io.EOF once the read channel has finished (Qt's -1). A device that is not
// open returns an error.
func (e *Engine) Read(b []byte) (int, error) {
	if err := e.readable("read"); err != nil {
		return 0, err
	}
	if e.cfg.Type == UdpSocket {
		if len(e.dq) == 0 {
			return 0, nil
		}
		return copy(b, e.dgRead().Data), nil // the rest of the datagram is dropped
	}
	if e.streamAvail() == 0 {
		if len(b) > 0 && e.readFinished() {
			return 0, io.EOF
		}
		return 0, nil
	}
	return e.readStream(b), nil
}

// readFinished reports whether no more data will arrive.
func (e *Engine) readFinished() bool {
	switch e.State() {
	case ConnectedState, ClosingState:
		return e.link != nil && e.link.eofSeen
	case HostLookupState, ConnectingState:
		return false
	}
	return true
}

// ReadN reads up to max buffered bytes (Qt's read(maxSize)); see Read.
func (e *Engine) ReadN(max int) ([]byte, error) {
	if max < 0 {
		return nil, e.refuse(transport.OperationError, "read", "negative size")
	}
	if err := e.readable("read"); err != nil {
		return nil, err
	}
	if e.cfg.Type == UdpSocket {
		if len(e.dq) == 0 {
			return []byte{}, nil
		}
		d := e.dgRead().Data
		return d[:min(max, len(d)):min(max, len(d))], nil
	}
	n := min(max, e.streamAvail())
	if n == 0 {
		if max > 0 && e.readFinished() {
			return nil, io.EOF
		}
		return []byte{}, nil
	}
	b := make([]byte, n)
	e.readStream(b)
	return b, nil
}

// ReadAll returns every buffered byte (empty, never nil, when there are
// none or the device is not open — Qt's readAll).
func (e *Engine) ReadAll() []byte {
	if e.readable("readAll") != nil {
		return []byte{}
	}
	if e.cfg.Type == UdpSocket {
		if len(e.dq) == 0 {
			return []byte{}
		}
		return e.dgRead().Data
	}
	n := e.streamAvail()
	if n == 0 {
		return []byte{}
	}
	if e.inTx {
		b := make([]byte, n)
		e.readStream(b)
		return b
	}
	b := e.rbuf.take()
	e.took(n)
	return b
}

// ReadLine returns the buffered data up to and including the first '\n',
// or everything buffered when there is no '\n' (Qt's readLine). Check
// CanReadLine first to read only whole lines.
func (e *Engine) ReadLine() ([]byte, error) { return e.ReadLineN(0) }

// ReadLineN is ReadLine reading at most max-1 bytes (Qt's readLine(maxSize));
// max 0 means no limit.
func (e *Engine) ReadLineN(max int) ([]byte, error) {
	if max < 0 || max == 1 {
		return nil, e.refuse(transport.OperationError, "readLine", "maximum size must be 0 or at least 2")
	}
	if err := e.readable("readLine"); err != nil {
		return nil, err
	}
	limit := e.streamAvail()
	if max > 0 {
		limit = min(limit, max-1)
	}
	n := limit
	if i := e.rbuf.indexByte('\n', e.txPos, e.txPos+limit); i >= 0 {
		n = i - e.txPos + 1
	}
	if n == 0 {
		if e.readFinished() {
			return nil, io.EOF
		}
		return []byte{}, nil
	}
	b := make([]byte, n)
	e.readStream(b)
	return b, nil
}

// Peek returns up to max buffered bytes without consuming them.
func (e *Engine) Peek(max int) []byte {
	if max <= 0 || e.readable("peek") != nil {
		return []byte{}
	}
	b := make([]byte, min(max, e.streamAvail()))
	e.rbuf.peekAt(e.txPos, b)
	return b
}

// GetChar reads one byte; ok is false when none is buffered or the device
// is not open.
func (e *Engine) GetChar() (c byte, ok bool) {
	if e.readable("getChar") != nil || e.streamAvail() == 0 {
		return 0, false
	}
	var b [1]byte
	e.readStream(b[:])
	return b[0], true
}

// UngetChar puts c back at the front of the read buffer. Inside a read
// transaction it is refused, as Qt's is (roll back instead).
func (e *Engine) UngetChar(c byte) error {
	if err := e.readable("ungetChar"); err != nil {
		return err
	}
	if e.inTx {
		return e.refuse(transport.OperationError, "ungetChar", textInTransaction)
	}
	e.rbuf.prepend([]byte{c})
	if e.link != nil {
		e.link.mu.Lock()
		e.link.held++
		e.link.mu.Unlock()
	}
	return nil
}

// PutChar writes one byte.
func (e *Engine) PutChar(c byte) error {
	_, err := e.Write([]byte{c})
	return err
}

// Write appends b to the write buffer and returns len(b): it never waits
// and never writes partially. BytesWritten reports what the transport
// accepts. Writing is allowed from ConnectToHost on (the bytes go once
// connected); a device that is not open, or is unconnected, refuses.
func (e *Engine) Write(b []byte) (int, error) {
	if err := e.CheckLoop(); err != nil {
		return 0, err
	}
	if e.openMode == NotOpen {
		return 0, e.refuse(transport.OperationError, "write", textNotOpen)
	}
	if !e.openMode.IsWritable() {
		return 0, e.refuse(transport.OperationError, "write", textReadOnly)
	}
	switch s := e.State(); {
	case s == UnconnectedState, s == BoundState, e.cfg.Type == UdpSocket && s != ConnectedState:
		e.errString = "Socket is not connected"
		return 0, e.refuse(transport.OperationError, "write", "socket is not connected")
	case e.cfg.Type == UdpSocket:
		return e.sendDatagram(b, netip.AddrPort{}, -1, 0)
	}
	if len(b) == 0 {
		return 0, nil
	}
	e.toWrite += int64(len(b))
	if e.link != nil {
		e.link.write(b)
		if e.Loop() == nil {
			// Blocking mode: no loop will regain control, start now.
			e.link.kick()
		} else {
			e.flush.Notify()
		}
	} else {
		e.pre.pushCopy(b, nil)
	}
	return len(b), nil
}

// flushNow starts the writer: the event Write posts on a loop-bound
// socket, so that the writes of one pass of the loop go out together once
// the loop regains control (as Qt flushes its write buffer from the event
// loop) and an Abort right after a Write discards the data, as Qt's does.
// Without a loop the writer starts at once: Qt would send nothing until a
// WaitFor… call, a trap slotnet does not keep.
func (e *Engine) flushNow() {
	if e.link != nil {
		e.link.kick()
	}
}

// WriteString is Write of a string.
func (e *Engine) WriteString(s string) (int, error) { return e.Write([]byte(s)) }

// Flush starts sending the write buffer now, rather than when the loop
// regains control, and reports whether there was anything to send. It
// never waits.
func (e *Engine) Flush() bool {
	if e.CheckLoop() != nil || e.link == nil {
		return false
	}
	e.link.mu.Lock()
	defer e.link.mu.Unlock()
	e.link.kickLocked()
	return e.link.out.size+e.link.inflight > 0
}

// MaxReadBufferSize bounds SetReadBufferSize (1 GiB): a larger bound is a
// mistake, not a configuration.
const MaxReadBufferSize = 1 << 30

// SetReadBufferSize bounds the read buffer to n bytes (0: unbounded, the
// default). When it is full the reader stops reading, so the peer is slowed
// by the transport's flow control and memory stays bounded.
func (e *Engine) SetReadBufferSize(n int64) error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if n < 0 || n > MaxReadBufferSize {
		return e.refuse(transport.SocketResourceError, "setReadBufferSize", textInvalidBufferSize)
	}
	e.rbufSize = int(n)
	if e.link != nil {
		e.link.setLimit(int(n))
	}
	if e.dg != nil {
		e.dg.setLimit(int(n))
	}
	return nil
}

// ReadBufferSize returns the read buffer bound (0: unbounded).
func (e *Engine) ReadBufferSize() int64 { return int64(e.rbufSize) }

// SetSocketOption sets a socket option: on the connection now if there is
// one, else when it is made (Qt's setSocketOption).
func (e *Engine) SetSocketOption(opt transport.SocketOption, value int) error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if opt < transport.LowDelayOption || opt > transport.PathMtuSocketOption {
		return e.refuse(transport.UnsupportedSocketOperationError, "setSocketOption", "unknown option")
	}
	if e.options == nil {
		e.options = make(map[transport.SocketOption]int)
	}
	e.options[opt] = value
	if s := e.sock(); s != nil {
		if err := s.SetOption(opt, value); err != nil {
			return err
		}
	}
	return nil
}

// SocketOption returns an option's value: the connection's when there is
// one, else the value set for the next connection (0 if none).
func (e *Engine) SocketOption(opt transport.SocketOption) (int, error) {
	if err := e.CheckLoop(); err != nil {
		return 0, err
	}
	if s := e.sock(); s != nil {
		return s.Option(opt)
	}
	return e.options[opt], nil
}

// sock is the transport socket, if there is one.
func (e *Engine) sock() transport.Socket {
	switch {
	case e.link != nil:
		return e.link.conn
	case e.dg != nil:
		return e.dg.d
	}
	return nil
}
