package core

import (
	"unicode/utf16"
	"unicode/utf8"
)

// nullLength is the length prefix of a null QString or QByteArray.
const nullLength = 0xFFFFFFFF

// NullString is a QString that may be null, as database/sql.NullString: a
// null QString (Valid false) and an empty one (Valid true, String "") are
// different on the wire.
type NullString struct {
	String string
	Valid  bool // false for a null QString
}

// WriteString writes s as a QString: its UTF-16 byte length as a quint32,
// then its UTF-16 code units in the stream's byte order. s is never null;
// "" is written as the empty QString. Invalid UTF-8 is written as U+FFFD.
func (ds *DataStream) WriteString(s string) {
	if ds.status != StatusOk {
		return
	}
	units := 0
	for _, r := range s {
		units += utf16.RuneLen(r)
	}
	b := ds.encodeBuffer()
	b = ds.appendUTF16(append(b, 0, 0, 0, 0), s, units)
	ds.bo().PutUint32(b, uint32(2*units))
	ds.WriteRawData(b)
	if ds.avail == nil && cap(b) <= 64<<10 {
		ds.enc = b // reuse it; keep no huge buffer alive
	}
}

// encodeBuffer returns an empty slice to encode a value into before one
// Write: the writer's own free space when it offers it (bytes.Buffer and
// bufio.Writer do), else the stream's reused buffer.
func (ds *DataStream) encodeBuffer() []byte {
	if ds.avail != nil {
		return ds.avail.AvailableBuffer()
	}
	return ds.enc[:0]
}

func (ds *DataStream) appendUTF16(b []byte, s string, units int) []byte {
	bo := ds.bo()
	b = growBytes(b, 2*units)
	for _, r := range s {
		if r < 0x10000 {
			b = bo.AppendUint16(b, uint16(r))
			continue
		}
		hi, lo := utf16.EncodeRune(r)
		b = bo.AppendUint16(bo.AppendUint16(b, uint16(hi)), uint16(lo))
	}
	return b
}

func growBytes(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := make([]byte, len(b), len(b)+n)
	copy(nb, b)
	return nb
}

// WriteNullString writes s as a QString; an invalid s is the null QString.
func (ds *DataStream) WriteNullString(s NullString) {
	if !s.Valid {
		ds.put32(nullLength)
		return
	}
	ds.WriteString(s.String)
}

// ReadString reads a QString; the null QString reads as "". An odd byte
// length sets StatusReadCorruptData. Unpaired surrogates read as U+FFFD.
func (ds *DataStream) ReadString() string { return ds.ReadNullString().String }

// ReadNullString reads a QString, telling the null QString from the empty
// one.
func (ds *DataStream) ReadNullString() NullString {
	n := ds.get32()
	switch {
	case ds.status != StatusOk && ds.txDepth > 0:
		return NullString{}
	case n == nullLength:
		return NullString{}
	case n&1 == 1:
		ds.fail(StatusReadCorruptData, "odd QString byte length", nil)
		return NullString{}
	case n == 0:
		return NullString{Valid: true}
	}
	if uint64(len(ds.buf)-ds.pos) >= uint64(n) {
		s := ds.decodeUTF16(ds.buf[ds.pos : ds.pos+int(n)])
		ds.pos += int(n)
		return NullString{String: s, Valid: true}
	}
	b := ds.readChunked(uint64(n))
	if b == nil {
		return NullString{}
	}
	return NullString{String: ds.decodeUTF16(b), Valid: true}
}

// decodeUTF16 turns UTF-16 code units in the stream's byte order into a
// Go string. A short string is decoded on the stack, so the string is its
// only allocation.
func (ds *DataStream) decodeUTF16(b []byte) string {
	const short = 64 // code units
	if len(b) <= 2*short {
		var tmp [3 * short]byte // a unit is at most 3 bytes of UTF-8
		return string(ds.appendUTF8(tmp[:0], b))
	}
	return string(ds.appendUTF8(make([]byte, 0, len(b)/2), b))
}

// appendUTF8 appends the UTF-8 of the UTF-16 units in b to out; unpaired
// surrogates become U+FFFD.
func (ds *DataStream) appendUTF8(out, b []byte) []byte {
	bo := ds.bo()
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(bo.Uint16(b[i:]))
		switch {
		case u < utf8.RuneSelf:
			out = append(out, byte(u))
			continue
		case utf16.IsSurrogate(u) && u < 0xDC00 && i+3 < len(b):
			if r := utf16.DecodeRune(u, rune(bo.Uint16(b[i+2:]))); r != utf8.RuneError {
				out = utf8.AppendRune(out, r)
				i += 2
				continue
			}
			u = utf8.RuneError
		case utf16.IsSurrogate(u):
			u = utf8.RuneError
		}
		out = utf8.AppendRune(out, u)
	}
	return out
}

// WriteByteArray writes b as a QByteArray: its length as a quint32, then
// its bytes. A nil b is the null QByteArray, a non-nil empty one the empty
// QByteArray.
func (ds *DataStream) WriteByteArray(b []byte) {
	if b == nil {
		ds.put32(nullLength)
		return
	}
	ds.put32(uint32(len(b)))
	ds.WriteRawData(b)
}

// ReadByteArray reads a QByteArray: nil for the null one, a non-nil empty
// slice for the empty one. The result is the caller's.
func (ds *DataStream) ReadByteArray() []byte {
	n := ds.get32()
	if ds.status != StatusOk && ds.txDepth > 0 || n == nullLength {
		return nil
	}
	if n == 0 {
		return []byte{}
	}
	return ds.readChunked(uint64(n))
}

// WriteStringList writes list as a QStringList: a quint32 count, then each
// QString.
func (ds *DataStream) WriteStringList(list []string) {
	WriteList(ds, list, (*DataStream).WriteString)
}

// ReadStringList reads a QStringList; null elements read as "" (read a
// []NullString with ReadList to keep them apart).
func (ds *DataStream) ReadStringList() []string {
	return ReadList(ds, (*DataStream).ReadString)
}
