package spy

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/signal"
)

// Errors of On and On0.
var (
	// ErrNilRecorder is returned for a nil *Recorder.
	ErrNilRecorder = errors.New("spy: nil recorder")
	// ErrNilSignal is returned for a nil signal.
	ErrNilSignal = errors.New("spy: nil signal")
	// ErrEmptyName is returned for an empty name: "" stands for every
	// signal in the queries.
	ErrEmptyName = errors.New("spy: empty signal name")
)

// Event is one recorded emission.
type Event struct {
	// Seq numbers the events of a Recorder from 1 in recording order,
	// across all its signals; Clear and Take do not restart it.
	Seq int
	// Name is the name the signal was attached with.
	Name string
	// Arg is the emitted value, or nil for a Signal0.
	Arg any
	// Loop is the loop whose events the slot ran among (core.CurrentLoop),
	// or nil when it ran on a goroutine processing no loop: an emitter in
	// blocking mode, a foreign goroutine, a Direct emission from a test.
	Loop *core.Loop
	// Time is time.Now() when the slot ran (virtual under testing/synctest).
	Time time.Time

	hasArg bool // the signal carries a value (Signal[T]), even a nil one
}

// Recorder records the emissions of the signals attached to it with On and
// On0. It is safe for concurrent use: slots may run on any goroutines while
// another waits or queries. Create one with New.
type Recorder struct {
	format func(name string, arg any) string // set by options, then read-only

	mu      sync.Mutex // guards everything below
	events  []Event
	seq     int
	wake    chan struct{} // closed by the next record; nil while nobody waits
	waiting int           // Wait calls blocked on wake
	conns   []*signal.Connection
}

// New returns an empty Recorder. Options: WithFormat.
func New(opts ...Option) *Recorder {
	r := &Recorder{}
	for _, o := range opts {
		if o != nil {
			o.apply(r)
		}
	}
	return r
}

// On0 records each emission of s under name, with a nil Arg. The spy's
// slot is connected Direct, so that the record shows the loop of the
// emission; opts are passed to Connect after that and may change it (for
// example signal.Queued with signal.To(obj) records on obj's loop). It
// fails with ErrNilRecorder, ErrNilSignal, ErrEmptyName or Connect's error.
func On0(r *Recorder, name string, s *signal.Signal0, opts ...signal.ConnectOption) error {
	if err := check(r, name, s == nil); err != nil {
		return err
	}
	c, err := s.Connect(func() { r.record(name, nil, false) }, connectOpts(opts)...)
	return r.keep(name, c, err)
}

// On records each emission of s under name, with the value as Arg; see On0
// for the connection and the errors.
func On[T any](r *Recorder, name string, s *signal.Signal[T], opts ...signal.ConnectOption) error {
	if err := check(r, name, s == nil); err != nil {
		return err
	}
	c, err := s.Connect(func(v T) { r.record(name, v, true) }, connectOpts(opts)...)
	return r.keep(name, c, err)
}

func check(r *Recorder, name string, nilSignal bool) error {
	switch {
	case r == nil:
		return ErrNilRecorder
	case nilSignal:
		return fmt.Errorf("%w %q", ErrNilSignal, name)
	case name == "":
		return ErrEmptyName
	}
	return nil
}

// connectOpts puts Direct before the caller's options, which apply after it.
func connectOpts(opts []signal.ConnectOption) []signal.ConnectOption {
	return append([]signal.ConnectOption{signal.Direct}, opts...)
}

// keep stores a connection for Disconnect, or wraps Connect's error.
func (r *Recorder) keep(name string, c *signal.Connection, err error) error {
	if err != nil {
		return fmt.Errorf("spy: attaching %q: %w", name, err)
	}
	r.mu.Lock()
	r.conns = append(r.conns, c)
	r.mu.Unlock()
	return nil
}

// record is the spy's slot.
func (r *Recorder) record(name string, arg any, hasArg bool) {
	e := Event{Name: name, Arg: arg, Loop: core.CurrentLoop(), Time: time.Now(), hasArg: hasArg}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	e.Seq = r.seq
	r.events = append(r.events, e)
	if r.wake != nil {
		close(r.wake)
		r.wake = nil
	}
}

// Disconnect disconnects the spy from every signal attached so far; the
// events recorded stay. A queued call already posted is not recorded.
func (r *Recorder) Disconnect() {
	if r == nil {
		return
	}
	r.mu.Lock()
	conns := r.conns
	r.conns = nil
	r.mu.Unlock()
	for _, c := range conns {
		c.Disconnect()
	}
}
