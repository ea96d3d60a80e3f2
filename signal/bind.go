package signal

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"unsafe"
)

// Bindable is a signal that can be bound to its emitter: *Signal[T] and
// *Signal0 implement it. Host.BindSignals binds every struct field whose
// pointer is Bindable.
type Bindable interface {
	// Bind makes h the signal's emitter for the signal's life.
	Bind(h *Host) error
	// Emitter returns the Host the signal is bound to, or nil.
	Emitter() *Host
}

var (
	_ Bindable = (*Signal[int])(nil)
	_ Bindable = (*Signal0)(nil)
)

// BindSignals binds to h every signal field of the struct owner points to,
// so that the signals share the object's loop, blocking and lifetime: one
// call in the constructor of a type that embeds an object
// (core.Object.BindSignals calls it). A signal field is one of type
// Signal[T], Signal0 or any type whose pointer is Bindable; BindSignals
// looks at exported and unexported fields alike, and into fields that are
// structs or arrays, but never through a pointer, interface, slice or map
// (an embedded *core.Object binds its own signals). It finds the fields by
// reflection once per type; emissions never use reflection.
//
// It fails with ErrBind unless owner is a non-nil pointer to a struct, with
// ErrAlreadyBound (naming the field) for a field bound to another Host —
// the other fields are bound all the same — and with ErrDestroyed when h is
// destroyed (the signals are then bound and dead). Calling it again is
// harmless.
func (h *Host) BindSignals(owner any) error {
	if h == nil {
		return fmt.Errorf("%w: nil Host", ErrBind)
	}
	base, p, err := fieldsOf(owner)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range p {
		err := f.at(base).Bind(h)
		if err != nil && !errors.Is(err, ErrDestroyed) {
			errs = append(errs, fmt.Errorf("%w: field %s of %T", err, f.name, owner))
		}
	}
	if h.IsDestroyed() {
		errs = append(errs, fmt.Errorf("%w: binding the signals of %T", ErrDestroyed, owner))
	}
	return errors.Join(errs...)
}

// fieldsOf returns the address of the struct owner points to and its signal
// fields.
func fieldsOf(owner any) (unsafe.Pointer, plan, error) {
	v := reflect.ValueOf(owner)
	if v.Kind() != reflect.Pointer || v.Type().Elem().Kind() != reflect.Struct {
		return nil, nil, fmt.Errorf("%w: owner %T is not a pointer to a struct", ErrBind, owner)
	}
	if v.IsNil() {
		return nil, nil, fmt.Errorf("%w: owner is a nil %T", ErrBind, owner)
	}
	return v.UnsafePointer(), planFor(v.Type().Elem()), nil
}

// checkBound is the loud half of binding: it fails with ErrUnbound when r
// (given to To) points to a struct that has a signal field bound to no
// Host. Such a struct embeds an object whose constructor forgot
// BindSignals; the mistake would otherwise show only as a BlockSignals that
// does not block, a Destroy that leaves connections alive and Auto
// connections queued to the object's own loop. It costs a map lookup per
// receiver type and an atomic load per signal field, at Connect only.
func checkBound(r Receiver) error {
	if _, ok := r.(*Host); ok {
		return nil
	}
	base, p, err := fieldsOf(r)
	if err != nil {
		return nil // not a struct: it has no signal fields
	}
	for _, f := range p {
		if f.at(base).Emitter() == nil {
			return fmt.Errorf("%w: field %s of %T; bind it in the constructor (core.Object.BindSignals)", ErrUnbound, f.name, r)
		}
	}
	return nil
}

// plan lists the signal fields of a struct type.
type plan []signalField

// signalField is a signal field of a struct: where it is and its type.
type signalField struct {
	off  uintptr      // offset from the start of the struct
	typ  reflect.Type // the field's type; *typ is Bindable
	name string       // for errors: "ReadyRead", "dev.Changed[2]"
}

// at returns the field in the struct at base.
func (f signalField) at(base unsafe.Pointer) Bindable {
	return reflect.NewAt(f.typ, unsafe.Add(base, f.off)).Interface().(Bindable)
}

var (
	bindableType = reflect.TypeFor[Bindable]()
	plans        sync.Map // reflect.Type (a struct) -> plan
)

// planFor returns the signal fields of the struct type t, computed once.
func planFor(t reflect.Type) plan {
	if p, ok := plans.Load(t); ok {
		return p.(plan)
	}
	p, _ := plans.LoadOrStore(t, appendFields(nil, t, 0, ""))
	return p.(plan)
}

// appendFields appends the signal fields of a value of type t at offset
// off, named name, to p.
func appendFields(p plan, t reflect.Type, off uintptr, name string) plan {
	switch {
	case reflect.PointerTo(t).Implements(bindableType):
		return append(p, signalField{off: off, typ: t, name: name})
	case t.Kind() == reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			p = appendFields(p, f.Type, off+f.Offset, join(name, f.Name))
		}
	case t.Kind() == reflect.Array && t.Len() > 0:
		elem := appendFields(nil, t.Elem(), 0, "")
		if len(elem) == 0 {
			break // no signals inside: skip the elements (a [4096]byte)
		}
		for i := range t.Len() {
			at := off + uintptr(i)*t.Elem().Size()
			p = appendFields(p, t.Elem(), at, name+"["+strconv.Itoa(i)+"]")
		}
	}
	return p
}

// join names a field inside a field.
func join(outer, field string) string {
	if outer == "" {
		return field
	}
	return outer + "." + field
}
