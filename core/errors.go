package core

import (
	"errors"

	"github.com/slotnet/slotnet/signal"
)

// Errors of this package. They match with errors.Is; a returned error may
// wrap one of them with detail.
var (
	// ErrLoopClosed is returned by a Loop that has been closed, and by
	// every operation that needs a closed loop. It is signal.ErrLoopClosed,
	// which a closed Dispatcher returns.
	ErrLoopClosed = signal.ErrLoopClosed
	// ErrLoopRunning is returned by Run or Start on a loop that already runs.
	ErrLoopRunning = errors.New("core: loop already running")
	// ErrNilFunc is returned when a nil function is posted or invoked.
	ErrNilFunc = errors.New("core: nil function")
	// ErrInvokePanicked is returned by Invoke when the function panicked on
	// the loop (the loop logged and recovered the panic).
	ErrInvokePanicked = errors.New("core: invoked function panicked")
	// ErrWrongLoop is returned by Object.ProcessEvents and
	// Object.WaitForEvents called on a goroutine other than the one running
	// the object's loop: running the object's events there would race with
	// the loop. Use the loop (Post, Invoke) or a queued connection instead.
	ErrWrongLoop = errors.New("core: called from outside the object's loop")
	// ErrDestroyed is returned by operations on a destroyed object. It is
	// signal.ErrDestroyed, which Connect returns for a signal of a destroyed
	// object (and signal.ErrReceiverDestroyed matches it too).
	ErrDestroyed = signal.ErrDestroyed
	// ErrHasParent is returned by MoveToLoop on an object that has a parent:
	// only a whole tree moves, from its root.
	ErrHasParent = errors.New("core: cannot move an object that has a parent")
	// ErrParentLoop is returned when a parent lives on another loop than
	// its would-be child.
	ErrParentLoop = errors.New("core: parent lives on another loop")
	// ErrParentCycle is returned when an object would become its own
	// ancestor.
	ErrParentCycle = errors.New("core: parent cycle")
	// ErrNoLoop is returned when starting a timer whose object has no loop.
	// It is signal.ErrNoLoop: one error for "this needs a loop" everywhere.
	ErrNoLoop = signal.ErrNoLoop
	// ErrNegativeInterval is returned for a negative timer interval.
	ErrNegativeInterval = errors.New("core: negative interval")
	// ErrNoObjectName is returned when a bus topic is needed for an object
	// without a name.
	ErrNoObjectName = errors.New("core: object has no name")
	// ErrBusType is matched by a *BusTypeError: a bus event whose arguments
	// do not fit the typed signal it is bridged to.
	ErrBusType = errors.New("core: bus event type mismatch")
)
