package peer

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// DefaultTimeout bounds every step that waits on the code under test
// (an expectation's reads, a Send's write, ExpectShutdown's probe, Accept),
// so that a stuck script fails naming its step instead of hanging the test.
// It is virtual time under testing/synctest. Stream.Timeout and
// Datagram.Timeout change it for the steps added after them.
const DefaultTimeout = 10 * time.Second

// Stream is a scripted peer for a byte stream (TCP, or an in-memory
// mem.Conn): a list of steps, built with its methods, that Play or Accept
// runs against the code under test on the other end of a connection.
//
// Expectations consume the bytes the code under test writes, whatever the
// chunks it writes them in: Expect("hello\n") passes whether they come in one
// Write or six. Each expectation reads with a deadline (DefaultTimeout, or
// Timeout's) and fails at its first wrong byte, naming the step, the byte
// offset in the stream and a diff.
//
// When the script ends, passed or failed, Play closes the connection (unless
// a step already closed or reset it): a FIN follows what was sent. Bytes the
// code under test sends after the last expectation are not checked; end with
// ExpectEOF or ExpectShutdown to check how the stream ends.
//
// A Stream plays once. Build it on the test's goroutine; its methods other
// than the builders (Done, Err) are safe from any goroutine.
type Stream struct {
	sc script[step]
}

// NewStream returns an empty script reporting to t. It registers a cleanup
// on t that fails the test if steps are left unplayed: if the script was
// never played, or is still waiting when the test ends (then the connection
// is closed, the script's goroutine is joined and the waiting step is
// named). The script only calls t's Helper, Errorf and Cleanup methods;
// failures go through Errorf from the script's goroutine, never FailNow.
func NewStream(t testing.TB) *Stream {
	t.Helper()
	s := &Stream{}
	s.sc.init(t, step.describe)
	return s
}

type stepKind uint8

const (
	stepSend stepKind = iota
	stepExpect
	stepRegexp
	stepLine
	stepLineRegexp
	stepWait
	stepCloseWrite
	stepEOF
	stepShutdown
	stepReset
	stepClose
)

// step is one action or expectation of a script.
type step struct {
	kind    stepKind
	data    []byte         // Send, Expect, ExpectLine (without the newline)
	re      *regexp.Regexp // ExpectRegexp, ExpectLineRegexp
	wait    time.Duration  // Wait
	timeout time.Duration  // the deadline safety net of this step
	call    string         // the method that added it: "SendString", ...
	expr    string         // ExpectRegexp's and ExpectLineRegexp's expression
	bad     string         // why the step could not be built, if it could not
}

// describe returns the step as written, e.g. ExpectLine("HELLO"). It is
// built when needed (a failure), not for every step.
func (st step) describe() string {
	switch st.kind {
	case stepSend, stepExpect, stepLine:
		return st.call + "(" + describe(st.data) + ")"
	case stepRegexp, stepLineRegexp:
		return st.call + "(" + quoteExpr(st.expr) + ")"
	case stepWait:
		return fmt.Sprintf("Wait(%v)", st.wait)
	}
	return st.call + "()"
}

// add appends a step. The builders do not call t.Helper (it costs a stack
// walk per step); a builder that can fail calls it before reporting.
func (s *Stream) add(st step) *Stream {
	st.timeout = s.sc.timeout
	if msg := s.sc.add(st, st.bad); msg != "" {
		s.sc.t.Helper()
		s.sc.t.Errorf("%s", msg)
	}
	return s
}

// Timeout sets the deadline safety net of the steps added after it: how
// long an expectation waits for bytes, a Send for room to write,
// ExpectShutdown for its proof and Accept for a connection. d ≤ 0 restores
// DefaultTimeout. A step may give up up to d/64 sooner: steps that follow
// each other closely share the deadline the first of them armed.
func (s *Stream) Timeout(d time.Duration) *Stream {
	s.sc.setTimeout(d)
	return s
}

// Label names the step added last: a failure of that step says
// "peer: step N (name) ..." and carries the name in StepError.Label. Tools
// that build scripts from something else (package record's sections) use
// it to point back to their source. Before any step it does nothing.
func (s *Stream) Label(name string) *Stream {
	s.sc.label(name)
	return s
}

// Send writes b to the code under test. An empty b is a step that does
// nothing (it never blocks).
func (s *Stream) Send(b []byte) *Stream {
	return s.add(step{kind: stepSend, data: clone(b), call: "Send"})
}

// SendString is Send of a string.
func (s *Stream) SendString(str string) *Stream {
	return s.add(step{kind: stepSend, data: []byte(str), call: "SendString"})
}

// Expect reads exactly len(b) bytes from the code under test and fails at
// the first one that differs from b. An empty b passes at once.
func (s *Stream) Expect(b []byte) *Stream {
	return s.add(step{kind: stepExpect, data: clone(b), call: "Expect"})
}

// ExpectString is Expect of a string.
func (s *Stream) ExpectString(str string) *Stream {
	return s.add(step{kind: stepExpect, data: []byte(str), call: "ExpectString"})
}

// ExpectRegexp reads until the bytes received match expr (RE2 syntax),
// anchored at the current position in the stream, and consumes the match.
// The match is taken as soon as the bytes received so far match: like
// expect(1) and pexpect, `\d+` against "12" that arrives as "1" then "2"
// takes "1". End a pattern with a delimiter (`\d+\n`) to make it independent
// of how the code under test cuts its writes, or use ExpectLineRegexp. A
// regexp cannot fail early: a wrong answer fails when the stream ends or
// at the step's deadline. A bad expression fails the test at once.
func (s *Stream) ExpectRegexp(expr string) *Stream {
	st := step{kind: stepRegexp, call: "ExpectRegexp", expr: expr}
	re, err := regexp.Compile(`^(?:` + expr + `)`)
	if err != nil {
		st.bad = err.Error()
	}
	st.re = re
	if st.bad != "" {
		s.sc.t.Helper()
	}
	return s.add(st)
}

// ExpectLine reads one line, ended by "\n" or "\r\n", and fails unless its
// text (without the line ending) is line. It fails at the first wrong byte.
// A line containing "\n" fails the test at once.
func (s *Stream) ExpectLine(line string) *Stream {
	st := step{kind: stepLine, data: []byte(line), call: "ExpectLine"}
	if strings.Contains(line, "\n") {
		st.bad = "a line cannot contain \"\\n\""
		s.sc.t.Helper()
	}
	return s.add(st)
}

// ExpectLineRegexp reads one line, ended by "\n" or "\r\n", and fails
// unless expr matches all of its text (without the line ending). Unlike
// ExpectRegexp it does not depend on how the code under test cuts its
// writes, and it fails as soon as the line has ended.
func (s *Stream) ExpectLineRegexp(expr string) *Stream {
	st := step{kind: stepLineRegexp, call: "ExpectLineRegexp", expr: expr}
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		st.bad = err.Error()
	}
	st.re = re
	if st.bad != "" {
		s.sc.t.Helper()
	}
	return s.add(st)
}

// Wait pauses the script for d (time.Sleep: virtual time under
// testing/synctest). The end of the test cuts it short.
func (s *Stream) Wait(d time.Duration) *Stream {
	return s.add(step{kind: stepWait, wait: d, call: "Wait"})
}

// CloseWrite half-closes the script's side: a FIN after what was sent, so
// the code under test reads io.EOF; the script can still read.
func (s *Stream) CloseWrite() *Stream {
	return s.add(step{kind: stepCloseWrite, call: "CloseWrite"})
}

// ExpectEOF expects the code under test to have closed its write side
// (CloseWrite, or Close): the next read gives io.EOF, with no byte left
// before it. Bytes instead, a reset or the deadline fail the step.
func (s *Stream) ExpectEOF() *Stream {
	return s.add(step{kind: stepEOF, call: "ExpectEOF"})
}

// ExpectShutdown expects the code under test to have closed the connection
// entirely, both directions, not just half-closed it. Precisely: the script
// reads io.EOF with no byte left before it (or a reset: an abort counts),
// then proves the other side no longer reads by writing probe bytes (one
// zero byte at a time, at growing intervals from 1 ms) until a write fails
// as TCP fails a write to a closed socket — the first probe provokes the
// peer's reset, a later write then fails with EPIPE or ECONNRESET
// (transport.RemoteHostClosedError). If writes still succeed at the step's
// deadline, the code under test had only half-closed and the step fails;
// it will then have received the probe bytes.
func (s *Stream) ExpectShutdown() *Stream {
	return s.add(step{kind: stepShutdown, call: "ExpectShutdown"})
}

// Reset aborts the connection with a reset (RST) instead of a FIN:
// Abort on a transport.Stream (a mem.Conn), SetLinger(0) then Close on a
// *net.TCPConn. Other connections fail the step.
func (s *Stream) Reset() *Stream {
	return s.add(step{kind: stepReset, call: "Reset"})
}

// Close closes the connection: a FIN after what was sent; the script reads
// no more.
func (s *Stream) Close() *Stream {
	return s.add(step{kind: stepClose, call: "Close"})
}

// Done is closed when the script has ended, passed or failed.
func (s *Stream) Done() <-chan struct{} { return s.sc.done }

// Err returns the script's failure as a *StepError, or nil while it plays
// and when it passed.
func (s *Stream) Err() error { return s.sc.errValue() }

// Len returns the number of steps in the script.
func (s *Stream) Len() int { return s.sc.length() }

func clone(b []byte) []byte { return append([]byte{}, b...) }

func quoteExpr(expr string) string { return "`" + expr + "`" }
