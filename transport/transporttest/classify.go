package transporttest

import (
	"errors"
	"io"
	"net"
	"os"

	"github.com/slotnet/slotnet/transport"
)

// Classify names the observable class of an error, the way the suite and
// the differential mode compare them across transports:
//
//   - "ok" for nil;
//   - "EOF" for a plain io.EOF (err == io.EOF), "wrapped EOF" for an error
//     that only wraps it (a contract violation: callers compare with ==);
//   - otherwise the SocketError name from transport.CodeOf, followed by
//     "+timeout" when the error wraps os.ErrDeadlineExceeded and reports
//     Timeout(), and "+closed" when it wraps net.ErrClosed.
//
// For example "SocketTimeoutError+timeout" or "ConnectionRefusedError".
func Classify(err error) string {
	switch {
	case err == nil:
		return "ok"
	case err == io.EOF:
		return "EOF"
	case errors.Is(err, io.EOF):
		return "wrapped EOF"
	}
	s := transport.CodeOf(err).String()
	if isTimeout(err) {
		s += "+timeout"
	}
	if errors.Is(err, net.ErrClosed) {
		s += "+closed"
	}
	return s
}

// isTimeout reports whether err is a deadline error by both tests Go code
// uses: errors.Is(err, os.ErrDeadlineExceeded) and net.Error's Timeout().
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) && errors.As(err, &ne) && ne.Timeout()
}

// wantTimeout asserts err is a classified timeout: SocketTimeoutError, a
// net.Error with Timeout(), wrapping os.ErrDeadlineExceeded.
func (c *C) wantTimeout(err error, op string) bool {
	c.T.Helper()
	if err == nil {
		c.T.Errorf("%s: got no error, want a timeout", op)
		return false
	}
	ok := true
	if !isTimeout(err) {
		c.T.Errorf("%s: %v: want errors.Is(err, os.ErrDeadlineExceeded) and net.Error.Timeout()", op, err)
		ok = false
	}
	if !errors.Is(err, transport.SocketTimeoutError) {
		c.T.Errorf("%s: %v: code %s, want SocketTimeoutError", op, err, transport.CodeOf(err))
		ok = false
	}
	return ok
}

// wantCode asserts err carries code (errors.Is by code and CodeOf).
func (c *C) wantCode(err error, code transport.SocketError, op string) bool {
	c.T.Helper()
	if err == nil {
		c.T.Errorf("%s: got no error, want %s", op, code)
		return false
	}
	if !errors.Is(err, code) || transport.CodeOf(err) != code {
		c.T.Errorf("%s: %v: code %s, want %s", op, err, transport.CodeOf(err), code)
		return false
	}
	var te *transport.Error
	if !errors.As(err, &te) {
		c.T.Errorf("%s: %T is not a *transport.Error", op, err)
		return false
	}
	return true
}

// wantClosed asserts err reports use of a closed socket (net.ErrClosed).
func (c *C) wantClosed(err error, op string) bool {
	c.T.Helper()
	if !errors.Is(err, net.ErrClosed) {
		c.T.Errorf("%s: %v (%s): want an error wrapping net.ErrClosed", op, err, Classify(err))
		return false
	}
	return true
}

// wantEOF asserts err is exactly io.EOF, not a wrapper around it.
func (c *C) wantEOF(err error, op string) bool {
	c.T.Helper()
	if err != io.EOF {
		c.T.Errorf("%s: got %v (%s), want a plain io.EOF (err == io.EOF)", op, err, Classify(err))
		return false
	}
	return true
}
