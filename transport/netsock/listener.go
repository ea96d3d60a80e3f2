package netsock

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// osListener is a Listener over a *net.TCPListener. AcceptStream honours
// its ctx by moving the listener's deadline into the past when ctx ends;
// other callers woken by that deadline wait until it is cleared and accept
// again, so one caller's cancellation never fails another's accept.
type osListener struct {
	ln   *net.TCPListener
	addr netip.AddrPort

	mu         sync.Mutex // guards interrupts and the listener's deadline
	interrupts int        // cancelled AcceptStream calls still blocked in accept
	cleared    *sync.Cond // signalled, on mu, when interrupts drops to 0
}

var _ transport.Listener = (*osListener)(nil)

func newOSListener(ln *net.TCPListener) *osListener {
	l := &osListener{ln: ln, addr: tcpAddrPort(ln.Addr())}
	l.cleared = sync.NewCond(&l.mu)
	return l
}

// setBacklog applies n as the listen backlog where the system allows it.
func (l *osListener) setBacklog(n int) error {
	raw, err := l.ln.SyscallConn()
	if err != nil {
		return err
	}
	if err := relisten(raw, n); err != nil && !errors.Is(err, errUnsupportedOS) {
		return err
	}
	return nil
}

// acceptCall is one AcceptStream's interruption state, guarded by
// osListener.mu.
type acceptCall struct {
	fired bool // the ctx ended and the deadline was moved for this call
	done  bool // the accept has returned; a late ctx end changes nothing
}

func (l *osListener) interrupt(c *acceptCall) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.done {
		return
	}
	c.fired = true
	l.interrupts++
	l.ln.SetDeadline(time.Unix(1, 0))
}

func (l *osListener) finish(c *acceptCall) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c.done = true
	if !c.fired {
		return
	}
	l.interrupts--
	if l.interrupts == 0 {
		l.ln.SetDeadline(time.Time{})
		l.cleared.Broadcast()
	}
}

// waitCleared blocks until no cancelled call holds the deadline in the past.
func (l *osListener) waitCleared() {
	l.mu.Lock()
	for l.interrupts > 0 {
		l.cleared.Wait()
	}
	l.mu.Unlock()
}

// AcceptStream waits for the next connection or ctx's end.
func (l *osListener) AcceptStream(ctx context.Context) (transport.Stream, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, transport.WrapError("accept", l.addr.String(), err)
		}
		call := &acceptCall{}
		stop := context.AfterFunc(ctx, func() { l.interrupt(call) })
		c, err := l.ln.AcceptTCP()
		stop()
		l.finish(call)
		if err == nil {
			return l.accepted(c)
		}
		if ctx.Err() == nil && errors.Is(err, os.ErrDeadlineExceeded) {
			l.waitCleared()
			continue
		}
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, transport.WrapError("accept", l.addr.String(), err)
	}
}

// accepted wraps a new connection with Qt's defaults (no TCP_NODELAY).
func (l *osListener) accepted(c *net.TCPConn) (transport.Stream, error) {
	if err := c.SetNoDelay(false); err != nil {
		c.Close()
		return nil, transport.WrapError("accept", l.addr.String(), err)
	}
	return newOSStream(c), nil
}

// Accept waits for the next connection; it returns a Stream.
func (l *osListener) Accept() (net.Conn, error) {
	s, err := l.AcceptStream(context.Background())
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Close stops listening; blocked accepts return an error wrapping
// net.ErrClosed.
func (l *osListener) Close() error {
	return transport.WrapError("close", l.addr.String(), l.ln.Close())
}

// Addr returns the listening address.
func (l *osListener) Addr() net.Addr { return l.ln.Addr() }

// AddrPort returns the listening address.
func (l *osListener) AddrPort() netip.AddrPort { return l.addr }
