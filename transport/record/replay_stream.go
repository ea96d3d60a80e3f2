package record

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport/peer"
)

// streamBuilder turns one recorded connection into peer steps, keeping
// which script section each step came from.
type streamBuilder struct {
	st       *peer.Stream
	sections []string // by step: the script sections it plays, "section 5" or "sections 5-7"
	timing   bool

	pending      []byte // client bytes not yet expected
	pendingFrom  int    // the section of their first chunk
	pendingTo    int    // and of their last
	since        time.Duration
	serverClosed bool // the server's FIN or reset has been played
	clientFin    bool // the client's FIN is expected already
}

// buildStream returns the peer script of connection i.
func (r *Replayer) buildStream(i int) *peer.Stream {
	c := r.script.Conns[i]
	tb := &stepTB{TB: r.t, prefix: fmt.Sprintf("record: replay of conn %d (to %v): ", c.ID, c.Server)}
	b := &streamBuilder{st: peer.NewStream(tb), timing: r.opts.timing}
	tb.sections = func(step int) string {
		if step >= 0 && step < len(b.sections) {
			return b.sections[step]
		}
		return ""
	}
	if r.opts.timeout > 0 {
		b.st.Timeout(r.opts.timeout)
	}
	for j, e := range r.script.Events {
		b.since += e.Delay
		if e.ID == c.ID && e.Kind <= Reset {
			b.event(j+1, e)
		}
	}
	b.flush()
	return b.st
}

// event adds the steps of one event, from script section sec.
func (b *streamBuilder) event(sec int, e Event) {
	if e.Regexp {
		b.flush()
		b.step(sec, func() { b.st.ExpectRegexp(string(e.Data)) })
		b.since = 0
		return
	}
	if e.Kind == Send && e.Side == Client {
		if len(b.pending) == 0 {
			b.pendingFrom = sec
		}
		b.pending, b.pendingTo = append(b.pending, e.Data...), sec
		b.since = 0
		return
	}
	b.flush()
	if e.Side == Server {
		if b.timing && b.since > 0 {
			b.step(sec, func() { b.st.Wait(b.since) })
		}
		b.server(sec, e)
	} else {
		b.client(sec, e)
	}
	b.since = 0
}

// server plays what the server did.
func (b *streamBuilder) server(sec int, e Event) {
	switch e.Kind {
	case Send:
		b.step(sec, func() { b.st.Send(e.Data) })
	case Fin:
		b.step(sec, func() { b.st.CloseWrite() })
		b.serverClosed = true
	case Reset:
		b.step(sec, func() { b.st.Reset() })
		b.serverClosed = true
	}
}

// client expects how the client closed: a FIN as EOF; a close or reset as
// a shutdown, which the script can only probe while it may still write.
func (b *streamBuilder) client(sec int, e Event) {
	switch {
	case e.Kind == Fin:
		b.step(sec, func() { b.st.ExpectEOF() })
		b.clientFin = true
	case e.Kind == Close && !b.serverClosed:
		b.step(sec, func() { b.st.ExpectShutdown() })
	case e.Kind == Close && !b.clientFin:
		b.step(sec, func() { b.st.ExpectEOF() })
	case e.Kind == Reset && !b.serverClosed:
		b.step(sec, func() { b.st.ExpectShutdown() })
	}
}

// flush expects the client bytes gathered so far, as one step.
func (b *streamBuilder) flush() {
	if len(b.pending) == 0 {
		return
	}
	data := b.pending
	b.pending = nil
	from, to := b.pendingFrom, b.pendingTo
	b.sections = append(b.sections, sectionRange(from, to))
	b.st.Expect(data)
}

// step adds one peer step from section sec.
func (b *streamBuilder) step(sec int, add func()) {
	b.sections = append(b.sections, sectionRange(sec, sec))
	add()
}

func sectionRange(from, to int) string {
	if from == to {
		return "section " + strconv.Itoa(from)
	}
	return fmt.Sprintf("sections %d-%d", from, to)
}

// stepTB is the testing.TB the peer scripts of a replay report to: it
// prefixes each failure with the connection, and a failing step with the
// script sections it plays. peer calls only Helper, Errorf and Cleanup.
type stepTB struct {
	testing.TB
	prefix   string
	sections func(step int) string
}

var stepRE = regexp.MustCompile(`^peer: step (\d+) `)

// Errorf reports a peer failure in the script's terms.
func (s *stepTB) Errorf(format string, args ...any) {
	s.TB.Helper()
	msg := fmt.Sprintf(format, args...)
	if m := stepRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		if sec := s.sections(n); sec != "" {
			msg = strings.Replace(msg, m[0], m[0]+"("+sec+") ", 1)
		}
	}
	s.TB.Errorf("%s%s", s.prefix, msg)
}

// Error is Errorf without a format.
func (s *stepTB) Error(args ...any) {
	s.TB.Helper()
	s.Errorf("%s", fmt.Sprint(args...))
}
