package core

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// fuzzStream makes a stream over data[1:] configured by data[0]: version,
// byte order and precision.
func fuzzStream(data []byte) (*DataStream, func(*DataStream)) {
	var cfg byte
	if len(data) > 0 {
		cfg, data = data[0], data[1:]
	}
	configure := func(ds *DataStream) {
		_ = ds.SetVersion(Qt_4_0 + StreamVersion(cfg%13))
		ds.SetByteOrder(ByteOrder(cfg >> 4 & 1))
		ds.SetFloatingPointPrecision(FloatingPointPrecision(cfg >> 5 & 1))
	}
	ds := NewDataStreamBytes(data)
	configure(ds)
	return ds, configure
}

// roundTrip decodes data with read; when that succeeds, the value written
// and read again must write the same bytes (a decoder may normalise, e.g.
// bool 7 reads as true, but its output is a fixed point).
func roundTrip[T any](t *testing.T, data []byte, read func(*DataStream) T, write func(*DataStream, T)) {
	ds, configure := fuzzStream(data)
	v := read(ds)
	if ds.Status() != StatusOk {
		return
	}
	encode := func(v T) []byte {
		var b bytes.Buffer
		w := NewDataStreamWriter(&b)
		configure(w)
		write(w, v)
		require.NoError(t, w.Err(), "writing what was read")
		return b.Bytes()
	}
	first := encode(v)
	again := NewDataStreamBytes(first)
	configure(again)
	v2 := read(again)
	require.NoError(t, again.Err(), "reading what was written")
	require.Zero(t, again.Buffered(), "bytes left after reading back")
	require.Equal(t, first, encode(v2), "not a fixed point")
}

func fuzzSeeds(f *testing.F) {
	f.Add([]byte{0x0c, 0, 0, 0, 4, 0, 'h', 0, 'i'})
	f.Add([]byte{0x1c, 0xff, 0xff, 0xff, 0xfe, 1, 2, 3, 4})
	f.Add([]byte{0x0c, 0, 0, 0, 9, 0, 0, 0, 0, 2, 0, 0, 0, 10, 0, 0, 0, 0, 2, 0, 'a', 0, 0, 0, 1, 0, 1})
	f.Add([]byte{0x06, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0x25, 0x84, 0xe3, 0, 0xa8, 0x88, 0x8e, 2, 0, 0, 0x0e, 0x10})
	f.Add([]byte{0x0c, 0, 0, 0, 8, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 'k', 0, 0, 0, 6, 0, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0})
}

// FuzzDataStreamScalars fuzzes the fixed-size decoders, QDate, QTime and
// QDateTime and QHostAddress.
func FuzzDataStreamScalars(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, data, (*DataStream).ReadBool, (*DataStream).WriteBool)
		roundTrip(t, data, (*DataStream).ReadInt16, (*DataStream).WriteInt16)
		roundTrip(t, data, (*DataStream).ReadUint64, (*DataStream).WriteUint64)
		roundTrip(t, data, (*DataStream).ReadFloat32, (*DataStream).WriteFloat32)
		roundTrip(t, data, (*DataStream).ReadFloat64, (*DataStream).WriteFloat64)
		roundTrip(t, data, (*DataStream).ReadDate, (*DataStream).WriteDate)
		roundTrip(t, data, (*DataStream).ReadTime, (*DataStream).WriteTime)
		roundTrip(t, data, (*DataStream).ReadDateTime, (*DataStream).WriteDateTime)
		roundTrip(t, data, (*DataStream).ReadHostAddress, (*DataStream).WriteHostAddress)
	})
}

// FuzzDataStreamStrings fuzzes QString, QByteArray, QStringList and a
// QList<QByteArray>.
func FuzzDataStreamStrings(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, data, (*DataStream).ReadNullString, (*DataStream).WriteNullString)
		roundTrip(t, data, (*DataStream).ReadByteArray, (*DataStream).WriteByteArray)
		roundTrip(t, data, (*DataStream).ReadStringList, (*DataStream).WriteStringList)
		roundTrip(t, data,
			func(ds *DataStream) [][]byte { return ReadList(ds, (*DataStream).ReadByteArray) },
			func(ds *DataStream, l [][]byte) { WriteList(ds, l, (*DataStream).WriteByteArray) })
	})
}

// FuzzDataStreamVariant fuzzes QVariant (and through it every type it
// holds, nested lists and maps) and QMap<QString, QVariant>.
func FuzzDataStreamVariant(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, data, (*DataStream).ReadVariant, (*DataStream).WriteVariant)
		roundTrip(t, data, readVariantMap, writeVariantMap)
	})
}

// FuzzDataStreamTransaction feeds the input a few bytes at a time through
// a non-blocking device and reads QVariants in transactions, as a socket
// reader does; it must read exactly what one pass over all of it reads.
func FuzzDataStreamTransaction(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		step := int(data[0]%7) + 1
		want := NewDataStreamBytes(data[1:])
		dev := &nonBlocking{}
		ds := NewDataStreamReader(dev)
		for off := 1; off < len(data); off += step {
			dev.buf.Write(data[off:min(off+step, len(data))])
			for {
				ds.StartTransaction()
				v := ds.ReadVariant()
				if !ds.CommitTransaction() {
					break
				}
				w := want.ReadVariant()
				require.NoError(t, want.Err())
				require.Equal(t, encodeVariant(t, w), encodeVariant(t, v))
			}
			if ds.Status() == StatusReadCorruptData {
				return
			}
		}
	})
}

func encodeVariant(t *testing.T, v Variant) []byte {
	var b bytes.Buffer
	ds := NewDataStreamWriter(&b)
	ds.WriteVariant(v)
	require.NoError(t, ds.Err())
	return b.Bytes()
}
