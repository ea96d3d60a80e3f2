package peer

import (
	"errors"
	"io"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/internal/faketb"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// playAgainst plays script (built on a fake TB) as the server against
// helloClient over the in-memory network, ends the fake test and returns
// what it reported. client runs the code under test on its connection.
func playAgainst(t *testing.T, build func(*Stream) *Stream, client func(net.Conn)) (*faketb.TB, *Stream) {
	t.Helper()
	f := faketb.New(nil)
	var srv *Stream
	synctest.Test(t, func(t *testing.T) {
		_, ch, sh := memHosts(t)
		srv = build(NewStream(f))
		srv.Accept(memListen(t, sh))
		c := memDial(t, ch)
		client(c)
		<-srv.Done()
		f.End()
	})
	return f, srv
}

func sendAndClose(msg string) func(net.Conn) {
	return func(c net.Conn) {
		_, _ = c.Write([]byte(msg))
		_ = c.Close()
	}
}

func TestFailureMismatch(t *testing.T) {
	f, srv := playAgainst(t, func(s *Stream) *Stream {
		return s.ExpectString("hello\n").ExpectLine("HELLO").SendString("x")
	}, sendAndClose("hello\nHEllo\n"))
	assert.Equal(t, "peer: step 1 ExpectLine(\"HELLO\") at stream offset 8: line differs at byte 2\n"+
		"\texpected \"HELLO\\n\"\n"+
		"\t     got \"HEllo\\n\"\n"+
		"\t            ^\n"+
		"\t1 step(s) not played: step 2 SendString(\"x\")", f.One(t))
	var e *StepError
	require.ErrorAs(t, srv.Err(), &e)
	assert.Equal(t, 1, e.Step)
	assert.EqualValues(t, 8, e.Offset)
	assert.Equal(t, 2, e.Diff)
}

func TestFailureMismatchChunking(t *testing.T) {
	// Byte at a time, the mismatch is found at its first wrong byte too.
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.ExpectString("hello world") },
		func(c net.Conn) {
			for _, b := range []byte("hello World") {
				_, _ = c.Write([]byte{b})
			}
			_ = c.Close()
		})
	msg := f.One(t)
	assert.Contains(t, msg, "peer: step 0 ExpectString(\"hello world\") at stream offset 6: byte 6 of 11 differs\n"+
		"\texpected \"hello world\"\n"+
		"\t     got \"hello W")
	assert.Contains(t, msg, "\n\t                ^")
}

func TestFailureEscapedDiff(t *testing.T) {
	// The caret counts the quoted form's escapes.
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.Expect([]byte("a\tb\x00c")) },
		sendAndClose("a\tb\x00d"))
	assert.Equal(t, "peer: step 0 Expect(\"a\\tb\\x00c\") at stream offset 4: byte 4 of 5 differs\n"+
		"\texpected \"a\\tb\\x00c\"\n"+
		"\t     got \"a\\tb\\x00d\"\n"+
		"\t                  ^", f.One(t))
}

func TestFailureLongDiffWindow(t *testing.T) {
	long := make([]byte, 100)
	for i := range long {
		long[i] = 'a'
	}
	got := append([]byte{}, long...)
	got[70] = 'b'
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.Expect(long) }, sendAndClose(string(got)))
	msg := f.One(t)
	assert.Contains(t, msg, "at stream offset 70: byte 70 of 100 differs")
	assert.Contains(t, msg, "\texpected ...\""+string(long[:62])+"\"\n")
	assert.Contains(t, msg, "\t     got ...\""+string(long[:32])+"b"+string(long[:29])+"\"\n")
	assert.Contains(t, msg, "\n\t"+spaces(9+3+1+32)+"^")
}

func spaces(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}

func TestFailureEarlyEOF(t *testing.T) {
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.ExpectString("hello\n") }, sendAndClose("hel"))
	assert.Equal(t, "peer: step 0 ExpectString(\"hello\\n\") at stream offset 3: the stream ended (EOF) after 3 of 6 bytes\n"+
		"\texpected \"hello\\n\"\n"+
		"\t     got \"hel\"\n"+
		"\t             ^", f.One(t))
}

func TestFailureDeadline(t *testing.T) {
	var took time.Duration
	f, _ := playAgainst(t, func(s *Stream) *Stream {
		return s.Timeout(3 * time.Second).ExpectLine("hello")
	}, func(c net.Conn) {
		start := time.Now()
		_, _ = c.Write([]byte("hel"))
		_, _ = c.Read(make([]byte, 1)) // until the script gives up and closes
		took = time.Since(start)
	})
	assert.Equal(t, "peer: step 0 ExpectLine(\"hello\") at stream offset 3: no more bytes before the step's deadline after 3 of 6 bytes\n"+
		"\texpected \"hello\\n\"\n"+
		"\t     got \"hel\"\n"+
		"\t             ^", f.One(t))
	assert.Equal(t, 3*time.Second, took, "the step's timeout, in virtual time")
}

func TestFailureDefaultDeadline(t *testing.T) {
	var took time.Duration
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.ExpectEOF() }, func(c net.Conn) {
		start := time.Now()
		_, _ = c.Read(make([]byte, 1))
		took = time.Since(start)
	})
	assert.Equal(t, "peer: step 0 ExpectEOF() at stream offset 0: expected EOF: no more bytes before the step's deadline", f.One(t))
	assert.Equal(t, DefaultTimeout, took)
}

func TestFailureRegexp(t *testing.T) {
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.ExpectRegexp(`\d+\n`) }, sendAndClose("12a\n"))
	assert.Equal(t, "peer: step 0 ExpectRegexp(`\\d+\\n`) at stream offset 0: no match: the stream ended (EOF); received \"12a\\n\"", f.One(t))

	f, _ = playAgainst(t, func(s *Stream) *Stream { return s.ExpectLineRegexp(`\d+`) }, sendAndClose("12a\nmore"))
	assert.Equal(t, "peer: step 0 ExpectLineRegexp(`\\d+`) at stream offset 0: the line does not match; received \"12a\\n\"", f.One(t))
}

func TestFailureExpectEOFGetsBytes(t *testing.T) {
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.ExpectString("hello\n").ExpectEOF() }, sendAndClose("hello\nbye\n"))
	assert.Equal(t, "peer: step 1 ExpectEOF() at stream offset 6: expected EOF, received 4 more byte(s): \"bye\\n\"", f.One(t))
}

func TestFailureExpectEOFGetsReset(t *testing.T) {
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.ExpectEOF() }, func(c net.Conn) {
		_ = c.(interface{ Abort() error }).Abort()
	})
	assert.Contains(t, f.One(t), "peer: step 0 ExpectEOF() at stream offset 0: expected EOF, the connection was reset: ")
}

func TestFailureShutdownButHalfClosed(t *testing.T) {
	var probes int
	f, _ := playAgainst(t, func(s *Stream) *Stream { return s.Timeout(time.Second).ExpectShutdown() }, func(c net.Conn) {
		_ = c.(interface{ CloseWrite() error }).CloseWrite()
		b := make([]byte, 100)
		for {
			n, err := c.Read(b)
			probes += n
			if err != nil {
				return
			}
		}
	})
	assert.Regexp(t, `^peer: step 0 ExpectShutdown\(\) at stream offset 0: the code under test half-closed but still reads: \d+ probe byte\(s\) accepted until the deadline \(use ExpectEOF for a half-close\)$`, f.One(t))
	assert.Positive(t, probes, "the code under test saw the probes")
}

func TestShutdownByReset(t *testing.T) {
	f, srv := playAgainst(t, func(s *Stream) *Stream { return s.ExpectShutdown() }, func(c net.Conn) {
		_ = c.(interface{ Abort() error }).Abort()
	})
	assert.Empty(t, f.Messages())
	assert.NoError(t, srv.Err())
}

func TestFailureLeftAtCleanup(t *testing.T) {
	// Never played.
	f := faketb.New(nil)
	NewStream(f).SendString("a").ExpectLine("b")
	f.End()
	assert.Equal(t, "peer: the script was never played: 2 step(s) left: "+
		"step 0 SendString(\"a\"), step 1 ExpectLine(\"b\")", f.One(t))

	// An empty script never played is fine.
	f = faketb.New(nil)
	NewStream(f)
	f.End()
	assert.Empty(t, f.Messages())

	// Still waiting when the test ends: the cleanup stops it at once and
	// names the step.
	synctest.Test(t, func(t *testing.T) {
		f := faketb.New(nil)
		_, ch, sh := memHosts(t)
		srv := NewStream(f).SendString("hi\n").ExpectLine("bye").Close()
		srv.Accept(memListen(t, sh))
		c := memDial(t, ch)
		_, err := c.Read(make([]byte, 3))
		require.NoError(t, err)
		start := time.Now()
		f.End()
		assert.Zero(t, time.Since(start), "no wait for the deadline")
		assert.Equal(t, "peer: step 1 ExpectLine(\"bye\") at stream offset 0: the test ended while this step waited after 0 of 4 bytes\n"+
			"\texpected \"bye\\n\"\n"+
			"\t     got \"\"\n"+
			"\t          ^\n"+
			"\t1 step(s) not played: step 2 Close()", f.One(t))
	})

	// Waiting in Accept, or in Wait.
	synctest.Test(t, func(t *testing.T) {
		f := faketb.New(nil)
		_, _, sh := memHosts(t)
		srv := NewStream(f).SendString("hi\n")
		srv.Accept(memListen(t, sh))
		synctest.Wait()
		f.End()
		assert.Equal(t, "peer: Accept: the test ended while this step waited (no connection accepted)\n"+
			"\t1 step(s) not played: step 0 SendString(\"hi\\n\")", f.One(t))

		f = faketb.New(nil)
		c1, c2 := net.Pipe()
		defer c2.Close()
		srv = NewStream(f).Wait(time.Hour).SendString("late")
		srv.Play(c1)
		synctest.Wait()
		f.End()
		assert.Equal(t, "peer: step 0 Wait(1h0m0s): the test ended while this step waited\n"+
			"\t1 step(s) not played: step 1 SendString(\"late\")", f.One(t))
	})
}

func TestFailureBadSteps(t *testing.T) {
	f := faketb.New(nil)
	s := NewStream(f).ExpectRegexp(`(`).ExpectLine("a\nb")
	assert.Equal(t, []string{
		"peer: step 0 ExpectRegexp(`(`): error parsing regexp: missing closing ): `^(?:()`",
		"peer: step 1 ExpectLine(\"a\\nb\"): a line cannot contain \"\\n\"",
	}, f.Messages())
	c1, c2 := net.Pipe()
	defer c2.Close()
	s.Play(c1)
	<-s.Done()
	assert.Contains(t, f.Messages()[2], "peer: step 0 ExpectRegexp(`(`): invalid step: error parsing regexp")
	s.Play(c1)
	s.SendString("late")
	f.End()
	msgs := f.Messages()
	assert.Equal(t, "peer: Play: the script already played; a script plays once", msgs[3])
	assert.Equal(t, "peer: SendString(\"late\") added after Play: a script is built before it plays", msgs[4])
}

func TestFailureNilConn(t *testing.T) {
	f := faketb.New(nil)
	s := NewStream(f).SendString("a")
	s.Play(nil)
	<-s.Done()
	f.End()
	assert.Equal(t, "peer: Play(nil): nothing to play on\n\t1 step(s) not played: step 0 SendString(\"a\")", f.One(t))
	assert.Error(t, s.Err())
}

func TestFailureSendAfterPeerGone(t *testing.T) {
	f, _ := playAgainst(t, func(s *Stream) *Stream {
		return s.ExpectEOF().Wait(time.Second).SendString("a").Wait(time.Second).SendString("b")
	}, func(c net.Conn) { _ = c.Close() })
	assert.Regexp(t, `^peer: step 4 SendString\("b"\) at stream offset 1: sent 0 of 1 bytes: .*broken pipe`, f.One(t))
}

func TestFailureReportGoexit(t *testing.T) {
	// A TB whose Errorf ends the goroutine (as FailNow would) still gets a
	// closed Done, a closed connection and an Err.
	synctest.Test(t, func(t *testing.T) {
		f := &faketb.TB{Goexit: true}
		_, ch, sh := memHosts(t)
		srv := NewStream(f).ExpectString("x").SendString("never")
		srv.Accept(memListen(t, sh))
		c := memDial(t, ch)
		_, _ = c.Write([]byte("y"))
		<-srv.Done()
		var e *StepError
		require.True(t, errors.As(srv.Err(), &e))
		assert.Equal(t, 0, e.Step)
		n, err := c.Read(make([]byte, 1))
		assert.Zero(t, n)
		assert.Error(t, err, "the script closed its end")
		f.End()
		assert.Len(t, f.Messages(), 1)
	})
}

func TestFailureUnsupportedConn(t *testing.T) {
	// net.Pipe can neither half-close nor reset.
	for _, build := range []func(*Stream) *Stream{
		func(s *Stream) *Stream { return s.CloseWrite() },
		func(s *Stream) *Stream { return s.Reset() },
	} {
		f := faketb.New(nil)
		c1, c2 := net.Pipe()
		s := build(NewStream(f))
		s.Play(c1)
		<-s.Done()
		_ = c2.Close()
		f.End()
		assert.Regexp(t, `^peer: step 0 (CloseWrite|Reset)\(\) at stream offset 0: a \*net.pipe cannot (half-close|be reset)$`, f.One(t))
	}
}

func TestCloseStep(t *testing.T) {
	// Close sends a FIN after the data; the code under test reads it all,
	// then EOF. Steps after Close fail on the closed connection.
	f, _ := playAgainst(t, func(s *Stream) *Stream {
		return s.SendString("bye\n").Close().ExpectString("x")
	}, func(c net.Conn) {
		b, err := io.ReadAll(c)
		assert.NoError(t, err)
		assert.Equal(t, "bye\n", string(b))
	})
	assert.Regexp(t, `^peer: step 2 ExpectString\("x"\) at stream offset 0: an earlier step closed the connection after 0 of 1 bytes\n`, f.One(t))
}

func TestAcceptDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := faketb.New(nil)
		_, _, sh := memHosts(t)
		s := NewStream(f).Timeout(time.Minute).SendString("x")
		start := time.Now()
		s.Accept(memListen(t, sh))
		<-s.Done()
		assert.Equal(t, time.Minute, time.Since(start))
		f.End()
		assert.Regexp(t, `^peer: Accept: no connection accepted: .*\n\t1 step\(s\) not played: step 0 SendString\("x"\)$`, f.One(t))
	})
}

func TestShutdownLoopbackHalfClosed(t *testing.T) {
	f := faketb.New(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	s := NewStream(f).Timeout(200 * time.Millisecond).ExpectShutdown()
	s.Accept(ln)
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.(*net.TCPConn).CloseWrite())
	<-s.Done()
	f.End()
	assert.Contains(t, f.One(t), "peer: step 0 ExpectShutdown() at stream offset 0: the code under test half-closed but still reads")
}

// Label names a step in its failure, in the list of steps not played and in
// StepError.Label; a Label before any step names nothing.
func TestFailureLabel(t *testing.T) {
	f, srv := playAgainst(t, func(s *Stream) *Stream {
		return s.Label("ignored").ExpectString("hello\n").Label("line 3").
			ExpectLine("HELLO").Label("line 4").SendString("x").Label("line 5")
	}, sendAndClose("hello\nHEllo\n"))
	msg := f.One(t)
	assert.Contains(t, msg, "peer: step 1 (line 4) ExpectLine(\"HELLO\") at stream offset 8: line differs at byte 2\n")
	assert.Contains(t, msg, "\t1 step(s) not played: step 2 (line 5) SendString(\"x\")")
	assert.NotContains(t, msg, "ignored")
	var e *StepError
	require.ErrorAs(t, srv.Err(), &e)
	assert.Equal(t, "line 4", e.Label)
}
