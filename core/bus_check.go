package core

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// convert turns one EventBus argument into a T. EventBus hands a nil
// argument to a variadic handler as a nil []any.
func convert[T any](a any) (T, bool) {
	var zero T
	if s, ok := a.([]any); ok && s == nil {
		a = nil
	}
	if a == nil {
		return zero, nilable(reflect.TypeFor[T]())
	}
	v, ok := a.(T)
	return v, ok
}

func nilable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice,
		reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	}
	return false
}

// fits reports whether values of the types pub can be emitted on a signal
// taking want: same count, and each published type assignable to the
// wanted one, or an interface whose dynamic values may be.
func fits(pub, want []reflect.Type) bool {
	if len(pub) != len(want) {
		return false
	}
	for i, p := range pub {
		w := want[i]
		switch {
		case p.AssignableTo(w):
		case p.Kind() == reflect.Interface && (w.Kind() == reflect.Interface || w.Implements(p)):
		default:
			return false
		}
	}
	return true
}

func slicesEqual(a, b []reflect.Type) bool { return slices.Equal(a, b) }

// BusTypeError reports a bus event, or a published signal, whose arguments
// do not fit the typed signal its topic is bridged to. It matches
// ErrBusType with errors.Is.
type BusTypeError struct {
	Topic string   // the event's topic
	Want  []string // the signal's argument types
	Got   []string // the event's argument types ("nil" for nil)

	// what the two sides are, for Error; "" for an event and a signal
	got, want string
}

func newBusTypeError(topic string, want []reflect.Type, args []any) *BusTypeError {
	e := &BusTypeError{Topic: topic, Want: typeNames(want), Got: []string{}}
	for _, a := range args {
		if a == nil {
			e.Got = append(e.Got, "nil")
			continue
		}
		e.Got = append(e.Got, reflect.TypeOf(a).String())
	}
	return e
}

// newBusSignatureError reports a published signal of types got that cannot
// feed want, found when subscribing or publishing; wantIs names want.
func newBusSignatureError(topic string, want, got []reflect.Type, wantIs string) *BusTypeError {
	return &BusTypeError{Topic: topic, Want: typeNames(want), Got: typeNames(got),
		got: "published signal", want: wantIs}
}

func typeNames(ts []reflect.Type) []string {
	names := []string{}
	for _, t := range ts {
		names = append(names, t.String())
	}
	return names
}

// Error describes the mismatch, such as
// `core: bus topic "sock.readyRead": event (string) does not fit signal (int)`
// or, found at subscribe time,
// `core: bus topic "sock.readyRead": published signal (string) does not fit signal (int)`.
func (e *BusTypeError) Error() string {
	got, want := e.got, e.want
	if got == "" {
		got, want = "event", "signal"
	}
	return fmt.Sprintf("core: bus topic %q: %s (%s) does not fit %s (%s)",
		e.Topic, got, strings.Join(e.Got, ", "), want, strings.Join(e.Want, ", "))
}

// Is reports whether target is ErrBusType.
func (e *BusTypeError) Is(target error) bool { return target == ErrBusType }
