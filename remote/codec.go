package remote

import (
	"encoding/json"
	"reflect"
)

// Codec encodes the values of one type T for the wire. Decode must return
// an error for bytes it cannot read, never panic: replicas feed it what
// arrives from the network.
type Codec[T any] interface {
	Encode(v T) ([]byte, error)
	Decode(data []byte) (T, error)
	// Schema describes T for the interface signature: two processes whose
	// schemas differ get SignatureMismatch instead of garbage.
	Schema() string
}

// JSON returns the default codec: encoding/json. It is chosen over a
// compact binary format because it takes any Go type without generated
// code, it is readable by every NATS tool (nats sub, other languages), it
// tolerates added struct fields in either direction (the same rule as the
// protocol's headers), and its decoder is hardened by the standard library:
// hostile bytes give an error, not a panic. Decode rejects trailing data
// after the value.
func JSON[T any]() Codec[T] { return jsonCodec[T]{} }

type jsonCodec[T any] struct{}

func (jsonCodec[T]) Encode(v T) ([]byte, error) { return json.Marshal(v) }

func (jsonCodec[T]) Decode(data []byte) (T, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil { // also refuses trailing data
		var zero T
		return zero, &DecodeError{Type: typeName[T](), Err: err}
	}
	return v, nil
}

func (jsonCodec[T]) Schema() string { return "json:" + schemaOf(reflect.TypeFor[T]()) }

func typeName[T any]() string { return reflect.TypeFor[T]().String() }

// orJSON returns c, or the JSON codec when c is nil.
func orJSON[T any](c Codec[T]) Codec[T] {
	if c == nil {
		return JSON[T]()
	}
	return c
}
