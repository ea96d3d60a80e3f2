package peer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// player plays a Stream's steps on one connection. Only the script's
// goroutine uses it.
type player struct {
	sc *script[step]
	c  net.Conn

	buf     []byte    // received and not yet consumed
	rd      int64     // the stream offset of buf[0]
	wr      int64     // bytes sent
	readErr error     // what ended reading (io.EOF, a reset, ...), sticky
	closed  bool      // a step closed or reset c
	rdl     time.Time // the read deadline armed on c
	wdl     time.Time // the write deadline armed on c
	scratch [4096]byte

	step    int    // the step playing, for failures
	st      step   // that step
	desc    string // its description, when not st's (Accept)
	timeout time.Duration
}

// play runs step i; false means the script failed and ends.
func (p *player) play(i int, st step) bool {
	p.step, p.st, p.desc, p.timeout = i, st, "", st.timeout
	if p.sc.stopped() {
		p.failf(-1, nil, "the test ended before this step")
		return false
	}
	switch st.kind {
	case stepSend:
		return p.send(st.data)
	case stepExpect:
		return p.expect(st.data)
	case stepLine:
		return p.line(func(text []byte) (int, bool) { return lineDiff(text, st.data) }, st.data)
	case stepLineRegexp:
		return p.line(func(text []byte) (int, bool) { return -1, st.re.Match(text) }, nil)
	case stepRegexp:
		return p.regexp(st)
	case stepWait:
		return p.wait(st.wait)
	case stepCloseWrite:
		return p.closeWrite()
	case stepEOF:
		return p.eof(false)
	case stepShutdown:
		return p.eof(true) && p.probe()
	case stepReset:
		return p.reset()
	case stepClose:
		p.closed = true
		if err := p.c.Close(); err != nil {
			p.failf(p.wr, err, "close failed")
			return false
		}
		return true
	}
	p.failf(-1, nil, "unknown step kind %d", st.kind) // unreachable: the builders make every kind
	return false
}

// finish ends the script, passed or failed: it closes the connection
// (unless a step did) and marks the script done.
func (p *player) finish() {
	if p.c != nil && !p.closed {
		_ = p.c.Close()
	}
	p.sc.finish()
}

// failf reports the playing step's failure at stream offset off.
func (p *player) failf(off int64, err error, format string, args ...any) {
	p.fail(&StepError{Offset: off, Diff: -1, Msg: fmt.Sprintf(format, args...), Err: err})
}

// failAt reports a failure of step i.
func (p *player) failAt(i int, desc string, off int64, msg string, err error) {
	p.step, p.desc = i, desc
	p.failf(off, err, "%s", msg)
}

// fail completes e with the playing step and reports it.
func (p *player) fail(e *StepError) {
	e.Step, e.Desc = p.step, p.desc
	if e.Desc == "" {
		e.Desc = p.st.describe()
	}
	e.Left = p.sc.left(p.step + 1)
	if p.sc.stopped() && e.Err != nil {
		if errors.Is(e.Err, net.ErrClosed) || e.Err == errStopped {
			e.Err = nil // the cleanup closed the connection: Msg says why
		} else {
			e.Msg = "the test ended while this step waited (" + e.Msg + ")"
			e.Err = nil
		}
	}
	p.sc.fail(e)
}

// mismatch reports that the bytes got differ from want at index at.
func (p *player) mismatch(want, got []byte, at int, format string, args ...any) bool {
	p.fail(&StepError{
		Offset:   p.rd + int64(at),
		Msg:      fmt.Sprintf(format, args...),
		Expected: want, Got: clone(got), Diff: at,
	})
	return false
}

// fill reads once more into buf, with the step's deadline. It returns the
// sticky error that ended reading, if any.
func (p *player) fill(deadline time.Time) error {
	if p.readErr != nil {
		return p.readErr
	}
	if p.sc.stopped() {
		return errStopped
	}
	if !reusable(p.rdl, deadline, p.timeout) {
		_ = p.c.SetReadDeadline(deadline)
		p.rdl = deadline
	}
	n, err := p.c.Read(p.scratch[:])
	p.buf = append(p.buf, p.scratch[:n]...)
	if err != nil && n == 0 {
		if !isTimeout(err) {
			p.readErr = err
		}
		return err
	}
	return nil
}

// errStopped ends a read when the test is over.
var errStopped = errors.New("the test ended")

// consume drops n bytes of buf.
func (p *player) consume(n int) {
	p.buf = p.buf[n:]
	p.rd += int64(n)
	if len(p.buf) == 0 {
		p.buf = p.buf[:0:0]
	}
}

// ended reports why the stream stopped giving bytes.
func (p *player) ended(err error) string {
	switch {
	case err == io.EOF:
		return "the stream ended (EOF)"
	case isReset(err):
		return "the connection was reset"
	case isTimeout(err):
		return "no more bytes before the step's deadline"
	case p.closed && errors.Is(err, net.ErrClosed):
		return "an earlier step closed the connection"
	case err == errStopped || errors.Is(err, net.ErrClosed) && p.sc.stopped():
		return "the test ended while this step waited"
	}
	return "reading failed"
}

// isReset reports whether err is a reset (or a write to a closed peer).
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		(errors.Is(err, transport.RemoteHostClosedError) && err != io.EOF)
}

// reusable reports whether the deadline armed on the connection can stand
// for want: not later, and earlier by at most 1/64 of the step's timeout.
// Arming a deadline costs a timer, and most steps follow each other within
// microseconds (or no time at all under synctest).
func reusable(armed, want time.Time, timeout time.Duration) bool {
	early := want.Sub(armed)
	return !armed.IsZero() && early >= 0 && early <= timeout/64
}

func (p *player) send(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	if deadline := time.Now().Add(p.timeout); !reusable(p.wdl, deadline, p.timeout) {
		_ = p.c.SetWriteDeadline(deadline)
		p.wdl = deadline
	}
	n, err := p.c.Write(b)
	p.wr += int64(n)
	if err != nil {
		p.failf(p.wr, err, "sent %d of %d bytes", n, len(b))
		return false
	}
	return true
}

func (p *player) expect(want []byte) bool {
	deadline := time.Now().Add(p.timeout)
	for {
		got := p.buf[:min(len(p.buf), len(want))]
		if i := firstDiff(want, got); i >= 0 {
			return p.mismatch(want, p.buf, i, "byte %d of %d differs", i, len(want))
		}
		if len(got) == len(want) {
			p.consume(len(want))
			return true
		}
		if err := p.fill(deadline); err != nil {
			return p.short(want, got, err)
		}
	}
}

// short reports an expectation whose bytes stopped coming.
func (p *player) short(want, got []byte, err error) bool {
	e := &StepError{
		Offset:   p.rd + int64(len(got)),
		Msg:      fmt.Sprintf("%s after %d of %d bytes", p.ended(err), len(got), len(want)),
		Expected: want, Got: clone(got), Diff: len(got),
	}
	e.Err = p.cause(err)
	p.fail(e)
	return false
}

// lineDiff compares a line's text received so far (complete when its
// newline has come) with the expected line: the index of the first
// difference, or -1 and whether the text so far can still become line.
func lineDiff(text, line []byte) (int, bool) {
	if i := firstDiff(text, line); i >= 0 {
		return i, false
	}
	if len(text) > len(line) {
		return len(line), false
	}
	return -1, true
}

// line reads one line and checks its text with check, which returns the
// first differing index (or -1) and whether the text matches. For
// ExpectLine, line is the expected text and a difference fails before
// the newline comes.
func (p *player) line(check func(text []byte) (int, bool), line []byte) bool {
	deadline := time.Now().Add(p.timeout)
	want := append(clone(line), '\n')
	for {
		nl := bytes.IndexByte(p.buf, '\n')
		if nl >= 0 {
			text := bytes.TrimSuffix(p.buf[:nl], []byte("\r"))
			at, ok := check(text)
			if ok && (line == nil || len(text) == len(line)) {
				p.consume(nl + 1)
				return true
			}
			if line == nil {
				return p.regexpMismatch(p.buf[:nl+1], "the line does not match")
			}
			if at < 0 {
				at = len(text)
			}
			return p.mismatch(want, p.buf[:nl+1], at, "line differs at byte %d", at)
		}
		if line != nil {
			text := bytes.TrimSuffix(p.buf, []byte("\r"))
			if at, ok := check(text); !ok {
				return p.mismatch(want, p.buf, at, "line differs at byte %d", at)
			}
		}
		if err := p.fill(deadline); err != nil {
			if line == nil {
				return p.regexpMismatch(p.buf, p.ended(err)+" before the end of the line")
			}
			return p.short(want, p.buf, err)
		}
	}
}

// regexpMismatch reports bytes a regexp did not match.
func (p *player) regexpMismatch(got []byte, msg string) bool {
	p.fail(&StepError{
		Offset: p.rd,
		Msg:    fmt.Sprintf("%s; received %s", msg, describe(got)),
		Diff:   -1,
	})
	return false
}

func (p *player) regexp(st step) bool {
	deadline := time.Now().Add(p.timeout)
	for {
		if loc := st.re.FindIndex(p.buf); loc != nil {
			p.consume(loc[1])
			return true
		}
		if err := p.fill(deadline); err != nil {
			return p.regexpMismatch(p.buf, "no match: "+p.ended(err))
		}
	}
}

func (p *player) wait(d time.Duration) bool {
	if !p.sc.sleep(d) {
		p.failf(-1, nil, "the test ended while this step waited")
		return false
	}
	return true
}

func (p *player) closeWrite() bool {
	cw, ok := p.c.(interface{ CloseWrite() error })
	if !ok {
		p.failf(p.wr, nil, "a %T cannot half-close", p.c)
		return false
	}
	if err := cw.CloseWrite(); err != nil {
		p.failf(p.wr, err, "half-close failed")
		return false
	}
	return true
}

// eof expects the end of the stream with nothing before it; a reset is
// accepted when resetOK.
func (p *player) eof(resetOK bool) bool {
	deadline := time.Now().Add(p.timeout)
	for len(p.buf) == 0 {
		err := p.fill(deadline)
		switch {
		case err == nil:
		case err == io.EOF, resetOK && isReset(err):
			return true
		case isReset(err):
			p.failf(p.rd, err, "expected EOF, the connection was reset")
			return false
		default:
			p.failf(p.rd, p.cause(err), "expected EOF: %s", p.ended(err))
			return false
		}
	}
	p.fail(&StepError{
		Offset: p.rd,
		Msg:    fmt.Sprintf("expected EOF, received %d more byte(s): %s", len(p.buf), describe(p.buf)),
		Diff:   -1,
	})
	return false
}

// cause returns err unless ended's words already say all of it.
func (p *player) cause(err error) error {
	if err == io.EOF || err == errStopped || isTimeout(err) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// probe proves the other side no longer reads: see ExpectShutdown.
func (p *player) probe() bool {
	if isReset(p.readErr) {
		return true
	}
	deadline := time.Now().Add(p.timeout)
	pause := time.Millisecond
	for sent := 0; ; sent++ {
		_ = p.c.SetWriteDeadline(deadline)
		p.wdl = deadline
		_, err := p.c.Write([]byte{0})
		if err != nil {
			if isReset(err) || errors.Is(err, transport.RemoteHostClosedError) {
				return true
			}
			p.failf(p.wr, p.cause(err), "after EOF, probing for a closed connection: write failed (%d probe byte(s) accepted)", sent)
			return false
		}
		if !time.Now().Add(pause).Before(deadline) {
			p.failf(p.wr, nil, "the code under test half-closed but still reads: %d probe byte(s) accepted until the deadline (use ExpectEOF for a half-close)", sent+1)
			return false
		}
		if !p.sc.sleep(pause) {
			p.failf(-1, nil, "the test ended while this step waited")
			return false
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}

func (p *player) reset() bool {
	p.closed = true
	var err error
	switch c := p.c.(type) {
	case interface{ Abort() error }:
		err = c.Abort()
	case *net.TCPConn:
		if err = c.SetLinger(0); err == nil {
			err = c.Close()
		}
	default:
		p.closed = false
		p.failf(p.wr, nil, "a %T cannot be reset", p.c)
		return false
	}
	if err != nil {
		p.failf(p.wr, err, "reset failed")
		return false
	}
	return true
}
