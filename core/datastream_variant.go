package core

import "fmt"

// MetaType is a QMetaType::Type id as Qt 5 numbers it; streams older than
// Qt_5_0 carry Qt 4's numbers, which DataStream translates.
type MetaType uint32

// The types a Variant can hold, with Qt 5's ids. The Go type of
// Variant.Value is given for each.
const (
	MetaInvalid     MetaType = 0    // nil
	MetaBool        MetaType = 1    // bool
	MetaInt         MetaType = 2    // int32
	MetaUInt        MetaType = 3    // uint32
	MetaLongLong    MetaType = 4    // int64
	MetaULongLong   MetaType = 5    // uint64
	MetaDouble      MetaType = 6    // float64
	MetaChar16      MetaType = 7    // uint16 (QChar)
	MetaVariantMap  MetaType = 8    // map[string]Variant
	MetaVariantList MetaType = 9    // []Variant
	MetaString      MetaType = 10   // string, or NullString{} for the null QString
	MetaStringList  MetaType = 11   // []string
	MetaByteArray   MetaType = 12   // []byte (nil: the null QByteArray)
	MetaDate        MetaType = 14   // Date
	MetaTime        MetaType = 15   // Time
	MetaDateTime    MetaType = 16   // DateTime
	MetaVariantHash MetaType = 28   // map[string]Variant
	MetaLong        MetaType = 32   // int64 (written as qint64)
	MetaShort       MetaType = 33   // int16
	MetaChar        MetaType = 34   // int8
	MetaULong       MetaType = 35   // uint64 (written as quint64)
	MetaUShort      MetaType = 36   // uint16
	MetaUChar       MetaType = 37   // uint8
	MetaFloat       MetaType = 38   // float32
	MetaSChar       MetaType = 40   // int8
	MetaUser        MetaType = 1024 // a user type, named on the wire; reading one fails
)

// Variant is QVariant: a typed value. Null is the stream's null flag (from
// Qt_4_2), set for a QVariant made from a type without a value; the
// invalid Variant is always null.
type Variant struct {
	Type  MetaType
	Null  bool
	Value any
}

// maxVariantDepth bounds how deeply variant lists and maps may nest when
// read: hostile input must not grow the stack without bound.
const maxVariantDepth = 256

// qt4TypeID maps a Qt 5 type id to the id of streams before Qt_5_0.
func qt4TypeID(t MetaType) uint32 {
	switch {
	case t == MetaUser:
		return 127
	case t >= 31 && t <= 55: // Qt 5 merged Qt 4's ids from 128 down by 97
		return uint32(t) + 97
	}
	return uint32(t)
}

// qt5TypeID maps a type id of a stream before Qt_5_0 to Qt 5's.
func qt5TypeID(id uint32) MetaType {
	switch {
	case id == 127:
		return MetaUser
	case id >= 128:
		return MetaType(id - 97)
	}
	return MetaType(id)
}

// WriteVariant writes v as QVariant: the type id as a quint32, from Qt_4_2
// the null flag as a byte, then the value. A Type this package does not
// know, or a Value of the wrong Go type, sets StatusWriteFailed.
func (ds *DataStream) WriteVariant(v Variant) {
	if ds.status != StatusOk {
		return
	}
	write, ok := variantWriter(v)
	if !ok {
		ds.fail(StatusWriteFailed, fmt.Sprintf("QVariant of type %d cannot hold %T", v.Type, v.Value), nil)
		return
	}
	id := uint32(v.Type)
	if ds.version < Qt_5_0 {
		id = qt4TypeID(v.Type)
	}
	ds.put32(id)
	if ds.version >= Qt_4_2 {
		ds.WriteBool(v.Null || v.Type == MetaInvalid)
	}
	if v.Type == MetaInvalid {
		if ds.version < Qt_5_0 {
			ds.put32(nullLength) // Qt 4 wrote a null QString for "no value"
		}
		return
	}
	write(ds)
}

// ReadVariant reads a QVariant. An unknown type id sets
// StatusReadCorruptData, as in Qt.
func (ds *DataStream) ReadVariant() Variant { return ds.readVariant(0) }

func (ds *DataStream) readVariant(depth int) Variant {
	id := ds.get32()
	t := MetaType(id)
	if ds.version < Qt_5_0 {
		t = qt5TypeID(id)
	}
	var v Variant
	if ds.version >= Qt_4_2 {
		v.Null = ds.ReadBool()
	}
	if ds.status != StatusOk {
		return Variant{}
	}
	if t == MetaInvalid {
		if ds.version < Qt_5_0 {
			ds.ReadNullString()
		}
		return Variant{Null: true}
	}
	if depth >= maxVariantDepth {
		ds.fail(StatusReadCorruptData, "QVariant nested too deeply", nil)
		return Variant{}
	}
	v.Type = t
	if t == MetaUser {
		return ds.readUserVariant()
	}
	val, ok := ds.readVariantValue(t, depth+1)
	if !ok {
		ds.fail(StatusReadCorruptData, fmt.Sprintf("QVariant type %d not supported", id), nil)
		return Variant{}
	}
	v.Value = val
	if ds.status != StatusOk {
		return Variant{}
	}
	return v
}

// readUserVariant reads the name of a user type and fails: Qt streams a
// user type only for a program that registered its stream operators, and
// slotnet knows none.
func (ds *DataStream) readUserVariant() Variant {
	name := ds.ReadByteArray()
	if len(name) > 0 && name[len(name)-1] == 0 {
		name = name[:len(name)-1]
	}
	ds.fail(StatusReadCorruptData, fmt.Sprintf("QVariant user type %q not supported", name), nil)
	return Variant{}
}

// readVariantValue reads the value of a built-in type; ok is false for a
// type this package does not know.
func (ds *DataStream) readVariantValue(t MetaType, depth int) (v any, ok bool) {
	switch t {
	case MetaBool:
		return ds.ReadBool(), true
	case MetaInt:
		return ds.ReadInt32(), true
	case MetaUInt:
		return ds.ReadUint32(), true
	case MetaLongLong, MetaLong:
		return ds.ReadInt64(), true
	case MetaULongLong, MetaULong:
		return ds.ReadUint64(), true
	case MetaDouble:
		return ds.ReadFloat64(), true
	case MetaFloat:
		return ds.ReadFloat32(), true
	case MetaChar16, MetaUShort:
		return ds.ReadUint16(), true
	case MetaShort:
		return ds.ReadInt16(), true
	case MetaChar, MetaSChar:
		return ds.ReadInt8(), true
	case MetaUChar:
		return ds.ReadUint8(), true
	}
	return ds.readVariantOther(t, depth)
}

func (ds *DataStream) readVariantOther(t MetaType, depth int) (v any, ok bool) {
	switch t {
	case MetaVariantMap, MetaVariantHash:
		return ReadMap(ds, (*DataStream).ReadString, func(ds *DataStream) Variant { return ds.readVariant(depth) }), true
	case MetaVariantList:
		return ReadList(ds, func(ds *DataStream) Variant { return ds.readVariant(depth) }), true
	case MetaString:
		return readVariantString(ds), true
	case MetaStringList:
		return ds.ReadStringList(), true
	case MetaByteArray:
		return ds.ReadByteArray(), true
	case MetaDate:
		return ds.ReadDate(), true
	case MetaTime:
		return ds.ReadTime(), true
	case MetaDateTime:
		return ds.ReadDateTime(), true
	}
	return nil, false
}

func readVariantString(ds *DataStream) any {
	if s := ds.ReadNullString(); s.Valid {
		return s.String
	}
	return NullString{}
}
