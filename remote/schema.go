package remote

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// schemaOf describes a type by its shape, without package paths, so that
// the same struct declared in two programs has the same schema.
func schemaOf(t reflect.Type) string {
	var b strings.Builder
	writeSchema(&b, t, map[reflect.Type]bool{})
	return b.String()
}

func writeSchema(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	switch t.Kind() {
	case reflect.Pointer:
		b.WriteString("*")
		writeSchema(b, t.Elem(), seen)
	case reflect.Slice:
		b.WriteString("[]")
		writeSchema(b, t.Elem(), seen)
	case reflect.Array:
		b.WriteString("[" + itoa(t.Len()) + "]")
		writeSchema(b, t.Elem(), seen)
	case reflect.Map:
		b.WriteString("map[")
		writeSchema(b, t.Key(), seen)
		b.WriteString("]")
		writeSchema(b, t.Elem(), seen)
	case reflect.Struct:
		writeStruct(b, t, seen)
	default:
		b.WriteString(t.Kind().String())
	}
}

func writeStruct(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	if seen[t] {
		b.WriteString("@" + t.Name())
		return
	}
	seen[t] = true
	defer delete(seen, t)
	b.WriteString("{")
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		b.WriteString(f.Name)
		if tag := f.Tag.Get("json"); tag != "" {
			b.WriteString("`" + tag + "`")
		}
		b.WriteString(" ")
		writeSchema(b, f.Type, seen)
		b.WriteString(";")
	}
	b.WriteString("}")
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// member is one exposed or expected part of an interface.
type member struct {
	kind   string // "signal", "property", "slot", "durable"
	name   string
	schema string
}

// signature hashes an interface: its members sorted by kind and name, each
// with its schema. It is the source's identity for replicas, as QtRO's
// signature of a .rep interface.
func signature(members []member) string {
	lines := make([]string, len(members))
	for i, m := range members {
		lines[i] = m.kind + " " + m.name + " " + m.schema
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:16])
}

// lifecycle is the part of a Source's or Replica's state that decides
// whether its interface may still change.
type lifecycle struct{ started, closed bool }

// appendMember adds m to an interface that has not started yet.
func appendMember(members []member, m member, lc lifecycle) ([]member, error) {
	if err := checkName(m.kind, m.name); err != nil {
		return members, err
	}
	switch {
	case lc.closed:
		return members, ErrClosed
	case lc.started:
		return members, ErrStarted
	}
	for _, o := range members {
		if o.name == m.name {
			return members, fmt.Errorf("%w: %q", ErrDuplicateMember, m.name)
		}
	}
	return append(members, m), nil
}
