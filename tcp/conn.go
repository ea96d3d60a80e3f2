package tcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/signal"
	"github.com/slotnet/slotnet/transport"
)

// ConnReadBufferSize is the read buffer bound Conn gives a socket whose
// read buffer is unbounded (SetReadBufferSize(0), the default): through a
// net.Conn the reader sets the pace, and a peer that writes faster than it
// reads must be slowed by the transport's flow control, as the kernel's
// bounded buffer slows it for a net.TCPConn. A bound set before Conn is
// kept.
const ConnReadBufferSize = 256 << 10

// Conn returns a net.Conn view of the connected socket, with Go's blocking
// contract where the socket keeps Qt's.
//
// The rule: the socket's own methods never block — Read returns what is
// buffered (0 bytes when nothing is), Write appends to the write buffer and
// returns — and they must be called in the socket's context (its loop, or
// the goroutine that uses a socket without one). The view's methods may be
// called from any goroutine, several at once, and they block: Read until
// data, the end of the stream (io.EOF once the peer has closed and the
// buffer is drained) or the read deadline; Write until the transport has
// accepted every byte (BytesWritten) or the write deadline. Every call of
// the view runs the socket's engine on the socket's loop; the blocked
// goroutine waits outside it.
//
// A socket without a loop gets a private one: Conn starts a loop for it and
// moves the socket there (taking it from a parent first: a child must share
// its parent's loop, and a socket accepted by a server without a loop is
// the server's child). From then on use the socket only through the view,
// or through that loop (s.Loop().Invoke); once the connection is over and
// the view has read everything (or is closed), the socket returns to
// blocking mode and the loop ends, so Close (or the peer's close) always
// ends it. A socket on a loop stays there, and the view calls into it; that
// loop must be running (Start or Run). Do not call the view's Read or
// Write on the socket's loop itself (in a slot): they would block the loop
// they wait for.
//
// The view and the socket share one read buffer: use one or the other to
// read. Data already buffered when Conn is called is the view's first data.
// A socket with an unbounded read buffer gets ConnReadBufferSize.
//
// Close closes the socket gracefully (Qt's close: pending bytes still go,
// what arrives afterwards is dropped) and unblocks every Read and Write;
// they, and a second Close, then return net.ErrClosed. A timeout is a
// net.Error whose Timeout() is true, matching os.ErrDeadlineExceeded and
// transport.SocketTimeoutError. Other errors are *net.OpError wrapping the
// socket's *transport.Error (errors.Is matches its SocketError code).
//
// Conn fails unless the socket is in ConnectedState and open ReadWrite;
// called from another goroutine on a socket with a loop, it runs on that
// loop.
func (s *Socket) Conn() (net.Conn, error) {
	if s.IsDestroyed() {
		return nil, core.ErrDestroyed
	}
	c := &conn{s: s}
	c.rd.wake, c.wd.wake = c.wake, c.wake
	l := s.Loop()
	if l == nil {
		return c.startPrivate()
	}
	var err error
	moved := false
	if ierr := l.Invoke(func() {
		if moved = s.Loop() != l; !moved {
			err = c.attach()
		}
	}); ierr != nil {
		return nil, ierr
	}
	if moved {
		return s.Conn()
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// conn is the net.Conn view of a Socket.
type conn struct {
	s             *Socket
	local, remote *net.TCPAddr
	priv          *core.Loop // the private loop Conn started, or nil
	rd, wd        deadline

	// on the socket's loop only
	onState, onError *signal.Connection
	errCode          transport.SocketError // the last error while connected
	errText          string

	mu     sync.Mutex // guards the fields below
	closed bool       // Close was called
	gone   bool       // the connection is over: the socket became unconnected
	ended  bool       // the private loop has ended
	rerr   error      // what Read returns once gone and drained
	werr   error      // what Write returns once gone
}

var _ net.Conn = (*conn)(nil)

// noop is the event that makes the loop evaluate the view's waits again.
var noop = func() {}

// attach checks the socket and connects the view to it; in its context.
func (c *conn) attach() error {
	s := c.s
	if st := s.State(); st != socket.ConnectedState {
		return transport.NewError(transport.OperationError, "conn", "", "socket is in "+st.String()+", not connected")
	}
	if s.OpenMode()&socket.ReadWrite != socket.ReadWrite {
		return transport.NewError(transport.OperationError, "conn", "", "socket is not open ReadWrite")
	}
	if s.ReadBufferSize() == 0 {
		if err := s.SetReadBufferSize(ConnReadBufferSize); err != nil {
			return err
		}
	}
	c.local = tcpAddr(s.LocalAddress(), s.LocalPort())
	c.remote = tcpAddr(s.PeerAddress(), s.PeerPort())
	c.errCode = transport.UnknownSocketError
	var err error
	if c.onState, err = s.StateChanged.Connect(c.stateChanged); err != nil {
		return err
	}
	if c.onError, err = s.ErrorOccurred.Connect(c.errorOccurred); err != nil {
		c.onState.Disconnect()
		return err
	}
	return nil
}

func (c *conn) detach() {
	c.onState.Disconnect()
	c.onError.Disconnect()
}

func tcpAddr(a netip.Addr, port int) *net.TCPAddr {
	return net.TCPAddrFromAddrPort(netip.AddrPortFrom(a, uint16(port)))
}

// startPrivate gives a socket without a loop a loop of its own; on the
// goroutine that uses the socket.
func (c *conn) startPrivate() (net.Conn, error) {
	s := c.s
	if err := c.attach(); err != nil {
		return nil, err
	}
	if s.Parent() != nil {
		if err := s.SetParent(nil); err != nil {
			c.detach()
			return nil, err
		}
	}
	l := core.NewLoop(core.WithName("tcp.Conn " + c.local.String()))
	c.priv = l
	if err := s.MoveToLoop(l); err != nil {
		c.detach()
		_ = l.Close()
		return nil, err
	}
	s.AddDestroyHook(c.destroyed)
	if err := l.Start(); err != nil { // a new loop always starts
		return nil, err
	}
	return c, nil
}

// destroyed ends the private loop with the socket.
func (c *conn) destroyed() {
	c.mu.Lock()
	c.ended = true
	c.mu.Unlock()
	_ = c.priv.Close()
}

// stateChanged and errorOccurred are the view's slots, on the loop.
func (c *conn) stateChanged(st socket.State) {
	if st != socket.UnconnectedState {
		return
	}
	c.sync()
	if c.priv != nil {
		_ = c.priv.Post(c.maybeEnd) // after the engine has finished closing
	}
}

func (c *conn) errorOccurred(code transport.SocketError) {
	if code != transport.SocketTimeoutError { // a WaitFor… timeout closes nothing
		c.errCode, c.errText = code, c.s.ErrorString()
	}
}

// sync notices, on the loop, that the connection is over and fixes what
// Read and Write report from then on: io.EOF and RemoteHostClosedError after
// a close, the error that closed the socket otherwise.
func (c *conn) sync() {
	if c.s.State() != socket.UnconnectedState {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gone {
		return
	}
	c.gone = true
	switch c.errCode {
	case transport.UnknownSocketError:
		c.rerr = io.EOF
		c.werr = c.opErr("write", transport.NewError(transport.OperationError, "write", c.remote.String(), "socket is not connected"))
	case transport.RemoteHostClosedError:
		c.rerr = io.EOF
		c.werr = c.opErr("write", transport.NewError(c.errCode, "write", c.remote.String(), c.errText))
	default:
		c.rerr = c.opErr("read", transport.NewError(c.errCode, "read", c.remote.String(), c.errText))
		c.werr = c.opErr("write", transport.NewError(c.errCode, "write", c.remote.String(), c.errText))
	}
}

// movedOn reports, on the loop, that the socket has left the viewed
// connection for another (a socket on a user's loop may reconnect).
func (c *conn) movedOn() bool {
	return c.isGone() && c.s.State() != socket.UnconnectedState
}

// maybeEnd ends the private loop once the connection is over and the view
// has nothing left to read: the socket returns to blocking mode. On the
// private loop.
func (c *conn) maybeEnd() {
	l := c.priv
	if l == nil || c.s.Loop() != l || !l.IsCurrent() {
		return
	}
	c.sync()
	c.mu.Lock()
	end := !c.ended && c.gone && (c.closed || c.s.BytesAvailable() == 0)
	c.ended = c.ended || end
	c.mu.Unlock()
	if !end {
		return
	}
	c.detach()
	_ = c.s.MoveToLoop(nil)
	_ = l.Close() // from inside: the loop stops after this event
}

// wake makes the socket's loop evaluate the view's waits again.
func (c *conn) wake() {
	if c.s.Loop() != nil {
		c.s.PostEvent(noop)
	}
}

// wait runs step on the socket's loop, at once and after each of the
// loop's passes, until step reports that it is done; wait reports whether
// it was. False means step could not run to its end there (the socket has
// left its loop: the view has ended; or was destroyed).
func (c *conn) wait(step func() bool) bool {
	var mu sync.Mutex // WaitUntil may give up while the loop evaluates step
	quit, done := false, false
	_ = c.s.WaitUntil(context.Background(), func() bool {
		if l := c.s.Loop(); l == nil || !l.IsCurrent() {
			return true
		}
		mu.Lock()
		defer mu.Unlock()
		if !quit {
			done = step()
		}
		return done
	})
	mu.Lock()
	defer mu.Unlock()
	quit = true
	return done
}

// onLoop runs fn once on the socket's loop and reports whether it ran.
func (c *conn) onLoop(fn func()) bool {
	for {
		l := c.s.Loop()
		if l == nil {
			return false
		}
		ran, moved := false, false
		err := l.Invoke(func() {
			if moved = c.s.Loop() != l; !moved {
				ran = true
				fn()
			}
		})
		if err != nil || !moved {
			return ran
		}
	}
}

// Read reads into b, blocking until data, the end of the stream (io.EOF)
// or the read deadline.
func (c *conn) Read(b []byte) (int, error) {
	dl := c.rd.channel()
	if err := c.before("read", dl); err != nil || len(b) == 0 {
		return 0, err
	}
	var n int
	var err error
	ok := c.wait(func() bool {
		switch {
		case c.isClosed():
			err = c.closedErr("read")
		case expired(dl):
			err = c.timeoutErr("read")
		default:
			var done bool
			n, err, done = c.readNow(b)
			return done
		}
		return true
	})
	if !ok {
		return 0, c.final("read")
	}
	return n, err
}

// readNow reads what is buffered; done is false when there is nothing yet.
// On the loop.
func (c *conn) readNow(b []byte) (n int, err error, done bool) {
	c.sync()
	if c.movedOn() {
		return 0, c.readEnd(), true
	}
	n, err = c.s.Engine.Read(b)
	switch {
	case n > 0:
		c.drained()
		return n, nil, true
	case err == nil:
		return 0, nil, false
	case errors.Is(err, io.EOF):
		c.drained()
		return 0, c.readEnd(), true
	case c.isGone():
		return 0, c.readEnd(), true
	}
	return 0, c.opErr("read", err), true
}

// readEnd is what Read returns at the end of the stream.
func (c *conn) readEnd() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rerr != nil {
		return c.rerr
	}
	return io.EOF
}

// drained lets the private loop end once the view has read everything.
func (c *conn) drained() {
	if c.priv != nil && c.isGone() && c.s.BytesAvailable() == 0 {
		_ = c.priv.Post(c.maybeEnd)
	}
}

// Write writes b, blocking until the transport has accepted all of it or
// the write deadline. Once Write has handed b to the socket, the bytes go
// even if the deadline passes or Close is called first (Close is graceful):
// n is then len(b), with the error; only a broken connection loses them,
// and n then counts the bytes the transport accepted.
func (c *conn) Write(b []byte) (int, error) {
	dl := c.wd.channel()
	if err := c.before("write", dl); err != nil || len(b) == 0 {
		return 0, err
	}
	w := &writeOp{c: c, b: b, dl: dl}
	if !c.wait(w.step) {
		if w.queued {
			return len(b), c.final("write")
		}
		return 0, c.final("write")
	}
	return w.n, w.err
}

// writeOp is one Write: queued, then waited for.
type writeOp struct {
	c      *conn
	b      []byte
	dl     <-chan struct{}
	queued bool
	target int64 // the socket's WrittenTotal once all of b has gone
	n      int
	err    error
}

// step runs on the loop.
func (w *writeOp) step() bool {
	c := w.c
	c.sync()
	if !w.queued {
		return w.queue()
	}
	s := c.s
	switch {
	case s.WrittenTotal() >= w.target:
		w.n = len(w.b)
	case c.isGone():
		w.n = int(max(0, int64(len(w.b))-(w.target-s.WrittenTotal())))
		w.err = c.final("write")
	case c.isClosed():
		w.n, w.err = len(w.b), c.closedErr("write")
	case expired(w.dl):
		w.n, w.err = len(w.b), c.timeoutErr("write")
	default:
		return false
	}
	return true
}

// queue hands b to the socket, or fails without writing.
func (w *writeOp) queue() bool {
	c := w.c
	switch {
	case c.isClosed():
		w.err = c.closedErr("write")
	case expired(w.dl):
		w.err = c.timeoutErr("write")
	case c.isGone():
		w.err = c.final("write")
	default:
		if _, err := c.s.Engine.Write(w.b); err != nil {
			w.err = c.opErr("write", err)
			return true
		}
		c.s.Flush()
		w.target = c.s.WrittenTotal() + c.s.BytesToWrite()
		w.queued = true
		return false
	}
	return true
}

// Close closes the socket gracefully and unblocks every Read and Write.
func (c *conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return c.closedErr("close")
	}
	c.closed = true
	c.mu.Unlock()
	c.rd.stop()
	c.wd.stop()
	c.onLoop(func() {
		c.sync()
		if !c.movedOn() {
			_ = c.s.Engine.Close()
		}
		if c.priv == nil {
			c.detach() // a closed view needs no news of a socket it does not own
		}
		c.maybeEnd()
	})
	return nil
}

// LocalAddr returns the local address (a *net.TCPAddr).
func (c *conn) LocalAddr() net.Addr { return c.local }

// RemoteAddr returns the peer's address (a *net.TCPAddr).
func (c *conn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline sets both deadlines; see net.Conn. It takes effect on a Read
// or Write already blocked.
func (c *conn) SetDeadline(t time.Time) error {
	if c.isClosed() {
		return c.closedErr("set")
	}
	c.rd.set(t)
	c.wd.set(t)
	return nil
}

// SetReadDeadline sets the read deadline; see net.Conn.
func (c *conn) SetReadDeadline(t time.Time) error {
	if c.isClosed() {
		return c.closedErr("set")
	}
	c.rd.set(t)
	return nil
}

// SetWriteDeadline sets the write deadline; see net.Conn.
func (c *conn) SetWriteDeadline(t time.Time) error {
	if c.isClosed() {
		return c.closedErr("set")
	}
	c.wd.set(t)
	return nil
}

func (c *conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

func (c *conn) isGone() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gone
}

// before fails a call that must not start: a closed view, a passed
// deadline (Go times out before looking at the data, as here).
func (c *conn) before(op string, dl <-chan struct{}) error {
	if c.isClosed() {
		return c.closedErr(op)
	}
	if expired(dl) {
		return c.timeoutErr(op)
	}
	return nil
}

// final is what a call returns once the view can no longer reach the
// socket's engine.
func (c *conn) final(op string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return c.closedErr(op)
	case c.gone && op == "read" && c.rerr != nil:
		return c.rerr
	case c.gone && op == "write" && c.werr != nil:
		return c.werr
	}
	return c.opErr(op, fmt.Errorf("%w: the socket left its loop or was destroyed", net.ErrClosed))
}

func (c *conn) opErr(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Source: c.local, Addr: c.remote, Err: err}
}

func (c *conn) closedErr(op string) error { return c.opErr(op, net.ErrClosed) }

func (c *conn) timeoutErr(op string) error {
	return c.opErr(op, transport.TimeoutError(op, c.remote.String(), nil))
}
