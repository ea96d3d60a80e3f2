package core

import (
	"encoding/binary"
	"math"
)

// byteOrder is what binary.BigEndian and binary.LittleEndian both are.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func (ds *DataStream) bo() byteOrder {
	if ds.order == LittleEndian {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

func (ds *DataStream) put16(v uint16) {
	if ds.order == LittleEndian {
		binary.LittleEndian.PutUint16(ds.scratch[:2], v)
	} else {
		binary.BigEndian.PutUint16(ds.scratch[:2], v)
	}
	ds.WriteRawData(ds.scratch[:2])
}

func (ds *DataStream) put32(v uint32) {
	if ds.order == LittleEndian {
		binary.LittleEndian.PutUint32(ds.scratch[:4], v)
	} else {
		binary.BigEndian.PutUint32(ds.scratch[:4], v)
	}
	ds.WriteRawData(ds.scratch[:4])
}

func (ds *DataStream) put64(v uint64) {
	if ds.order == LittleEndian {
		binary.LittleEndian.PutUint64(ds.scratch[:8], v)
	} else {
		binary.BigEndian.PutUint64(ds.scratch[:8], v)
	}
	ds.WriteRawData(ds.scratch[:8])
}

func (ds *DataStream) get16() uint16 {
	b := ds.next(2)
	if b == nil {
		return 0
	}
	if ds.order == LittleEndian {
		return binary.LittleEndian.Uint16(b)
	}
	return binary.BigEndian.Uint16(b)
}

func (ds *DataStream) get32() uint32 {
	b := ds.next(4)
	if b == nil {
		return 0
	}
	if ds.order == LittleEndian {
		return binary.LittleEndian.Uint32(b)
	}
	return binary.BigEndian.Uint32(b)
}

func (ds *DataStream) get64() uint64 {
	b := ds.next(8)
	if b == nil {
		return 0
	}
	if ds.order == LittleEndian {
		return binary.LittleEndian.Uint64(b)
	}
	return binary.BigEndian.Uint64(b)
}

// WriteBool writes b as one byte, 1 or 0 (bool).
func (ds *DataStream) WriteBool(b bool) {
	var v uint8
	if b {
		v = 1
	}
	ds.WriteUint8(v)
}

// ReadBool reads one byte; any value but 0 is true, as in Qt.
func (ds *DataStream) ReadBool() bool { return ds.ReadUint8() != 0 }

// WriteInt8 writes v (qint8).
func (ds *DataStream) WriteInt8(v int8) { ds.WriteUint8(uint8(v)) }

// WriteUint8 writes v (quint8).
func (ds *DataStream) WriteUint8(v uint8) {
	ds.scratch[0] = v
	ds.WriteRawData(ds.scratch[:1])
}

// WriteInt16 writes v (qint16).
func (ds *DataStream) WriteInt16(v int16) { ds.put16(uint16(v)) }

// WriteUint16 writes v (quint16).
func (ds *DataStream) WriteUint16(v uint16) { ds.put16(v) }

// WriteInt32 writes v (qint32).
func (ds *DataStream) WriteInt32(v int32) { ds.put32(uint32(v)) }

// WriteUint32 writes v (quint32).
func (ds *DataStream) WriteUint32(v uint32) { ds.put32(v) }

// WriteInt64 writes v (qint64).
func (ds *DataStream) WriteInt64(v int64) { ds.put64(uint64(v)) }

// WriteUint64 writes v (quint64).
func (ds *DataStream) WriteUint64(v uint64) { ds.put64(v) }

// ReadInt8 reads a qint8.
func (ds *DataStream) ReadInt8() int8 { return int8(ds.ReadUint8()) }

// ReadUint8 reads a quint8.
func (ds *DataStream) ReadUint8() uint8 {
	b := ds.next(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// ReadInt16 reads a qint16.
func (ds *DataStream) ReadInt16() int16 { return int16(ds.get16()) }

// ReadUint16 reads a quint16.
func (ds *DataStream) ReadUint16() uint16 { return ds.get16() }

// ReadInt32 reads a qint32.
func (ds *DataStream) ReadInt32() int32 { return int32(ds.get32()) }

// ReadUint32 reads a quint32.
func (ds *DataStream) ReadUint32() uint32 { return ds.get32() }

// ReadInt64 reads a qint64.
func (ds *DataStream) ReadInt64() int64 { return int64(ds.get64()) }

// ReadUint64 reads a quint64.
func (ds *DataStream) ReadUint64() uint64 { return ds.get64() }

// doubleFloats reports whether float32 travels as 8 bytes.
func (ds *DataStream) doubleFloats() bool {
	return ds.version >= Qt_4_6 && ds.precision == DoublePrecision
}

// singleDoubles reports whether float64 travels as 4 bytes.
func (ds *DataStream) singleDoubles() bool {
	return ds.version >= Qt_4_6 && ds.precision == SinglePrecision
}

// WriteFloat32 writes f (float): 8 bytes from Qt_4_6 with DoublePrecision
// (the default), else 4.
func (ds *DataStream) WriteFloat32(f float32) {
	if ds.doubleFloats() {
		ds.put64(math.Float64bits(float64(f)))
		return
	}
	ds.put32(math.Float32bits(f))
}

// ReadFloat32 reads a float written by WriteFloat32 with the same settings.
func (ds *DataStream) ReadFloat32() float32 {
	if ds.doubleFloats() {
		return float32(math.Float64frombits(ds.get64()))
	}
	return math.Float32frombits(ds.get32())
}

// WriteFloat64 writes f (double): 4 bytes from Qt_4_6 with
// SinglePrecision, else 8.
func (ds *DataStream) WriteFloat64(f float64) {
	if ds.singleDoubles() {
		ds.put32(math.Float32bits(float32(f)))
		return
	}
	ds.put64(math.Float64bits(f))
}

// ReadFloat64 reads a double written by WriteFloat64 with the same
// settings.
func (ds *DataStream) ReadFloat64() float64 {
	if ds.singleDoubles() {
		return float64(math.Float32frombits(ds.get32()))
	}
	return math.Float64frombits(ds.get64())
}
