package peer

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// Play runs the script on c, the script's end of a connection whose other
// end the code under test holds, in a goroutine of its own. It returns at
// once; failures go to the test through Errorf, and Done and Err report
// the end. The script closes c when it ends. Playing a script twice, or a
// nil c, fails the test.
func (s *Stream) Play(c net.Conn) {
	s.sc.t.Helper()
	if !s.sc.begin(c == nil, "Play") {
		return
	}
	go s.run(func() (net.Conn, error) { return c, nil })
}

// Accept accepts one connection on ln and plays the script on it, in a
// goroutine of its own; it returns at once. Any net.Listener does, a
// transport/mem *mem.Listener included (it is one). The accept waits up
// to the timeout in force when Accept is called (DefaultTimeout unless
// Timeout changed it): through AcceptStream's context on a
// transport.Listener, a deadline on a listener with SetDeadline
// (*net.TCPListener); on any other listener the end of the test closes ln
// to stop a waiting Accept. The listener stays open otherwise: closing it
// is the test's business.
func (s *Stream) Accept(ln net.Listener) {
	s.sc.t.Helper()
	if !s.sc.begin(ln == nil, "Accept") {
		return
	}
	timeout := s.sc.timeout
	go s.run(func() (net.Conn, error) { return s.accept(ln, timeout) })
}

// accept waits for one connection on ln, until timeout or the end of the
// test.
func (s *Stream) accept(ln net.Listener, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if l, ok := ln.(transport.Listener); ok {
		s.onStop(ctx, cancel)
		c, err := l.AcceptStream(ctx)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	if l, ok := ln.(interface{ SetDeadline(time.Time) error }); ok {
		_ = l.SetDeadline(time.Now().Add(timeout))
		defer func() { _ = l.SetDeadline(time.Time{}) }()
		s.onStop(ctx, func() { _ = l.SetDeadline(time.Unix(1, 0)) })
	} else {
		s.onStop(ctx, func() { _ = ln.Close() })
	}
	return ln.Accept()
}

// onStop calls fn if the test ends before ctx does.
func (s *Stream) onStop(ctx context.Context, fn func()) {
	go func() {
		select {
		case <-s.sc.stop:
			fn()
		case <-ctx.Done():
		}
	}()
}

// run is the script's goroutine: get the connection, play every step, close.
func (s *Stream) run(connect func() (net.Conn, error)) {
	p := &player{sc: &s.sc}
	defer p.finish() // also when Errorf ends the goroutine (a fake TB's FailNow)
	c, err := connect()
	if err != nil {
		p.failAt(-1, "Accept", -1, "no connection accepted", err)
		return
	}
	p.c = c
	s.sc.attach(c)
	for {
		i, st, ok := s.sc.current()
		if !ok {
			return
		}
		if st.bad != "" {
			p.failAt(i, st.describe(), -1, "invalid step: "+st.bad, nil)
			return
		}
		if !p.play(i, st) {
			return
		}
		s.sc.advance(i)
	}
}

// isTimeout reports whether err is a deadline's.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
