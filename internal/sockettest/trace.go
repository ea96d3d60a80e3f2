// Package sockettest is what the tcp and udp tests share: a trace of a
// socket's signals, recorded by core/spy, in the format of the PyQt5
// traces ("actor.signal arg", "actor.call() value").
package sockettest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/core/spy"
	"github.com/slotnet/slotnet/signal"
)

// Trace records the signals of sockets (Watch) and notes of the test's own
// (Add) in one sequence.
type Trace struct {
	Rec  *spy.Recorder
	note signal.Signal[string]
}

const noteName = "\x00note"

func format(name string, arg any) string {
	switch {
	case name == noteName:
		return arg.(string)
	case arg == nil:
		return name
	}
	return fmt.Sprintf("%s %v", name, arg)
}

// New makes a trace that detaches from every signal when t ends.
func New(t testing.TB) *Trace {
	tr := &Trace{Rec: spy.New(spy.WithFormat(format))}
	if err := spy.On(tr.Rec, noteName, &tr.note); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.Rec.Disconnect)
	return tr
}

// Add records a line of the test's own, e.g. "client.state() Connected".
func (tr *Trace) Add(format string, args ...any) { tr.note.Emit(fmt.Sprintf(format, args...)) }

// Take returns the lines recorded so far and forgets them.
func (tr *Trace) Take() []string {
	evs := tr.Rec.Take()
	lines := make([]string, len(evs))
	for i, e := range evs {
		lines[i] = format(e.Name, e.Arg)
	}
	return lines
}

// String is the lines recorded so far, one a line.
func (tr *Trace) String() string { return strings.Join(tr.Rec.Sequence(), "\n") }

// Watch records every signal of e as "actor.signal [arg]". If readyReadArg
// is given, ReadyRead is recorded with its value (a UDP socket's pending
// datagram size, say).
func (tr *Trace) Watch(t testing.TB, actor string, e *socket.Engine, readyReadArg ...func() any) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	r := tr.Rec
	must(spy.On0(r, actor+".hostFound", &e.HostFound))
	must(spy.On0(r, actor+".connected", &e.Connected))
	must(spy.On0(r, actor+".disconnected", &e.Disconnected))
	must(spy.On(r, actor+".stateChanged", &e.StateChanged))
	must(spy.On(r, actor+".errorOccurred", &e.ErrorOccurred))
	if len(readyReadArg) > 0 {
		arg := readyReadArg[0]
		_, err := e.ReadyRead.Connect(func() { tr.Add("%s.readyRead %v", actor, arg()) })
		must(err)
	} else {
		must(spy.On0(r, actor+".readyRead", &e.ReadyRead))
	}
	must(spy.On(r, actor+".bytesWritten", &e.BytesWritten))
	must(spy.On0(r, actor+".aboutToClose", &e.AboutToClose))
	must(spy.On0(r, actor+".readChannelFinished", &e.ReadChannelFinished))
}
