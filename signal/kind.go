package signal

import "strconv"

// Kind says how a connection delivers an emission to its slot; it is the
// counterpart of Qt::ConnectionType. A Kind is also a ConnectOption, so
// sig.Connect(fn, signal.Queued) and sig.Connect(fn, signal.WithKind(signal.Queued))
// are the same.
type Kind uint8

const (
	// Auto (the default) runs the slot directly when the receiver has no
	// loop or lives on the emitter's loop, and queues it otherwise. The
	// choice is made at each emission.
	Auto Kind = iota
	// Direct runs the slot inside Emit, on the emitting goroutine.
	Direct
	// Queued posts the call to the receiver's loop; Emit returns at once.
	Queued
	// BlockingQueued posts the call to the receiver's loop and makes Emit
	// wait until the slot has run. When the emitter lives on the receiver's
	// loop the slot runs directly instead (waiting would deadlock). When the
	// receiver's loop is closed, Emit does not wait: the call is dropped
	// and reported (see Dispatcher.Close), also for an emitter already
	// waiting when the loop closes.
	BlockingQueued
)

// String returns the Kind's name, such as "Queued".
func (k Kind) String() string {
	switch k {
	case Auto:
		return "Auto"
	case Direct:
		return "Direct"
	case Queued:
		return "Queued"
	case BlockingQueued:
		return "BlockingQueued"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

func (k Kind) valid() bool { return k <= BlockingQueued }

func (k Kind) apply(c *connectConfig) { c.kind = k }
