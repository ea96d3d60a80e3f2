package core

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// DataStreamMarshaler is a type that writes itself to a DataStream field by
// field, as a Qt type's operator<<.
type DataStreamMarshaler interface {
	MarshalDataStream(ds *DataStream)
}

// DataStreamUnmarshaler is a type that reads itself from a DataStream field
// by field, as a Qt type's operator>>. It reports failure through the
// stream's status.
type DataStreamUnmarshaler interface {
	UnmarshalDataStream(ds *DataStream)
}

// WriteValue writes v with its MarshalDataStream; it fits WriteList and
// WriteMap.
func WriteValue[T DataStreamMarshaler](ds *DataStream, v T) { v.MarshalDataStream(ds) }

// ReadValue reads a T with (*T).UnmarshalDataStream; it fits ReadList and
// ReadMap: ReadList(ds, ReadValue[Point]).
func ReadValue[T any, PT interface {
	*T
	DataStreamUnmarshaler
}](ds *DataStream) T {
	var v T
	PT(&v).UnmarshalDataStream(ds)
	return v
}

// streamState is Qt's StreamStateSaver: a container is read with a clean
// status (outside transactions), and an earlier error is put back after.
type streamState struct {
	status StreamStatus
	err    *StreamError
}

func (ds *DataStream) saveState() streamState {
	st := streamState{ds.status, ds.err}
	if ds.txDepth == 0 {
		ds.ResetStatus()
	}
	return st
}

func (ds *DataStream) restoreState(st streamState) {
	if st.status != StatusOk {
		ds.status, ds.err = st.status, st.err
	}
}

// WriteList writes list as QList<T>: a quint32 count, then each element
// with write — a DataStream method expression such as
// (*DataStream).WriteString, or WriteValue[T].
func WriteList[T any](ds *DataStream, list []T, write func(*DataStream, T)) {
	ds.put32(uint32(len(list)))
	for _, v := range list {
		if ds.status != StatusOk {
			return
		}
		write(ds, v)
	}
}

// maxReserve bounds what a count prefix may reserve before the elements
// arrive: a hostile count allocates nothing large.
const maxReserve = 1024

// ReadList reads a QList<T> written by WriteList, each element with read,
// such as (*DataStream).ReadString or ReadValue[T]. It returns nil and
// leaves the status set if any element fails.
func ReadList[T any](ds *DataStream, read func(*DataStream) T) []T {
	st := ds.saveState()
	defer ds.restoreState(st)
	n := ds.get32()
	if ds.status != StatusOk {
		return nil
	}
	list := make([]T, 0, min(n, maxReserve))
	for range n {
		v := read(ds)
		if ds.status != StatusOk {
			return nil
		}
		list = append(list, v)
	}
	return list
}

// WriteMap writes m as QMap<K, V>: a quint32 count, then the pairs in
// descending key order, as Qt 5 writes them (string keys compare by UTF-16
// code unit, as QString does).
func WriteMap[K cmp.Ordered, V any](ds *DataStream, m map[K]V, writeKey func(*DataStream, K), writeValue func(*DataStream, V)) {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys[K])
	ds.put32(uint32(len(keys)))
	for i := len(keys) - 1; i >= 0 && ds.status == StatusOk; i-- {
		writeKey(ds, keys[i])
		writeValue(ds, m[keys[i]])
	}
}

// ReadMap reads a QMap<K, V> (or QHash) written by WriteMap; of repeated
// keys the last one read wins, which is the value Qt's QMap::value returns.
// It returns nil and leaves the status set if any pair fails.
func ReadMap[K comparable, V any](ds *DataStream, readKey func(*DataStream) K, readValue func(*DataStream) V) map[K]V {
	st := ds.saveState()
	defer ds.restoreState(st)
	n := ds.get32()
	if ds.status != StatusOk {
		return nil
	}
	m := make(map[K]V, min(n, maxReserve))
	for range n {
		k := readKey(ds)
		v := readValue(ds)
		if ds.status != StatusOk {
			return nil
		}
		m[k] = v
	}
	return m
}

func compareKeys[K cmp.Ordered](a, b K) int {
	if sa, ok := any(a).(string); ok {
		return compareUTF16(sa, any(b).(string))
	}
	return cmp.Compare(a, b)
}

// compareUTF16 orders strings as QString does, by UTF-16 code unit; it
// differs from Go's byte order only between U+E000…U+FFFF and runes above
// U+FFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return cmp.Compare(utf16Key(ra), utf16Key(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// utf16Key maps a rune to a number ordered as its first UTF-16 unit (then
// its second): runes above U+FFFF start with a surrogate, 0xD800…0xDBFF.
func utf16Key(r rune) rune {
	if r > 0xFFFF {
		return 0xD800<<11 + (r - 0x10000) // between 0xD7FF and 0xE000 in unit order
	}
	return r << 11
}
