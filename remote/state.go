package remote

import "fmt"

// State is a replica's state, Qt Remote Objects' QRemoteObjectReplica::State.
type State int

// The replica states, with QtRO's names and values.
const (
	// Uninitialized: the replica was created and has not started.
	Uninitialized State = iota
	// Default: started, properties hold their default (zero) values, and no
	// source has answered yet.
	Default
	// Valid: the replica holds the source's state and follows its stream.
	Valid
	// Suspect: the replica may have lost messages (a gap in the sequence, a
	// slow-consumer drop, a disconnect or a new source epoch); it is
	// fetching a snapshot to return to Valid.
	Suspect
	// SignatureMismatch: the source exposes a different interface; the
	// replica emits nothing until a source with the same signature answers.
	SignatureMismatch
)

// String returns QtRO's name of the state.
func (s State) String() string {
	switch s {
	case Uninitialized:
		return "Uninitialized"
	case Default:
		return "Default"
	case Valid:
		return "Valid"
	case Suspect:
		return "Suspect"
	case SignatureMismatch:
		return "SignatureMismatch"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// StateChange is the value of Replica.StateChanged: QtRO's
// stateChanged(State state, State oldState) as one struct.
type StateChange struct {
	State, Old State
}
