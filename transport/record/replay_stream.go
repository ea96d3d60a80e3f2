package record

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport/peer"
)

// streamBuilder turns one recorded connection into peer steps, each
// labelled with the script sections it plays ("section 5", "sections 5-7").
type streamBuilder struct {
	st     *peer.Stream
	timing bool

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
	tb := &prefixTB{TB: r.t, prefix: fmt.Sprintf("record: replay of conn %d (to %v): ", c.ID, c.Server)}
	b := &streamBuilder{st: peer.NewStream(tb), timing: r.opts.timing}
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
	b.st.Expect(data).Label(sectionRange(from, to))
}

// step adds one peer step from section sec.
func (b *streamBuilder) step(sec int, add func()) {
	add()
	b.st.Label(sectionRange(sec, sec))
}

func sectionRange(from, to int) string {
	if from == to {
		return "section " + strconv.Itoa(from)
	}
	return fmt.Sprintf("sections %d-%d", from, to)
}

// prefixTB is the testing.TB the peer scripts of a replay report to: it
// prefixes each failure with the connection or socket it replays (each step
// carries its script sections as its peer label). peer calls only Helper,
// Errorf and Cleanup.
type prefixTB struct {
	testing.TB
	prefix string
}

// Errorf reports a peer failure in the script's terms.
func (s *prefixTB) Errorf(format string, args ...any) {
	s.TB.Helper()
	s.TB.Errorf("%s%s", s.prefix, fmt.Sprintf(format, args...))
}

// Error is Errorf without a format.
func (s *prefixTB) Error(args ...any) {
	s.TB.Helper()
	s.Errorf("%s", fmt.Sprint(args...))
}
