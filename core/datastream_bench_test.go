package core

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"testing"
	"unicode/utf16"

	"github.com/slotnet/slotnet/internal/qtcompat"
)

const benchFortune = "You've been leading a dog's life. Stay off the furniture."

func benchList() []string {
	l := make([]string, 1000)
	for i := range l {
		l[i] = fmt.Sprintf("fortune %04d", i)
	}
	return l
}

// The baselines write the same bytes with encoding/binary: "binary-append"
// is hand-written code on binary.BigEndian's Append/Put functions (the
// fastest plain Go), "binary-write" the reflective binary.Write/Read.

func appendQString(b []byte, s string) []byte {
	units := utf16.Encode([]rune(s))
	b = binary.BigEndian.AppendUint32(b, uint32(2*len(units)))
	for _, u := range units {
		b = binary.BigEndian.AppendUint16(b, u)
	}
	return b
}

func decodeQString(b []byte) (string, []byte) {
	n := binary.BigEndian.Uint32(b)
	units := make([]uint16, n/2)
	for i := range units {
		units[i] = binary.BigEndian.Uint16(b[4+2*i:])
	}
	return string(utf16.Decode(units)), b[4+n:]
}

func writeQString(buf *bytes.Buffer, s string) {
	units := utf16.Encode([]rune(s))
	_ = binary.Write(buf, binary.BigEndian, uint32(2*len(units)))
	_ = binary.Write(buf, binary.BigEndian, units)
}

func readQString(r *bytes.Reader) string {
	var n uint32
	_ = binary.Read(r, binary.BigEndian, &n)
	units := make([]uint16, n/2)
	_ = binary.Read(r, binary.BigEndian, units)
	return string(utf16.Decode(units))
}

// benchPyQt5 reports PyQt5's time per op for op, measured by
// testdata/datastream_bench.py, as this benchmark's ns/op.
func benchPyQt5(b *testing.B, op string) {
	b.Setenv("SLOTNET_BENCH_OP", op)
	b.Setenv("SLOTNET_BENCH_N", strconv.Itoa(b.N))
	out := qtcompat.Run(b, "PyQt5.QtCore", "testdata/datastream_bench.py")
	ns, err := strconv.ParseFloat(out["ns_per_op"], 64)
	if err != nil {
		b.Fatalf("datastream_bench.py: %v (%v)", err, out)
	}
	b.ReportMetric(ns, "ns/op")
}

func newBenchWriter(buf *bytes.Buffer) *DataStream {
	buf.Reset()
	ds := NewDataStreamWriter(buf)
	_ = ds.SetVersion(Qt_5_10)
	return ds
}

func newBenchReader(data []byte) *DataStream {
	ds := NewDataStreamBytes(data)
	_ = ds.SetVersion(Qt_5_10)
	return ds
}

func encodeFortune56(buf *bytes.Buffer) {
	ds := newBenchWriter(buf)
	ds.WriteUint16(0)
	ds.WriteString(benchFortune)
	binary.BigEndian.PutUint16(buf.Bytes(), uint16(buf.Len()-2))
}

// BenchmarkDataStreamFortune57 is Qt 5.7+'s fortune frame: a bare QString.
func BenchmarkDataStreamFortune57(b *testing.B) {
	var buf bytes.Buffer
	b.Run("encode/impl=slotnet", func(b *testing.B) {
		for b.Loop() {
			newBenchWriter(&buf).WriteString(benchFortune)
		}
	})
	b.Run("encode/impl=binary-append", func(b *testing.B) {
		var out []byte
		for b.Loop() {
			out = appendQString(out[:0], benchFortune)
		}
	})
	b.Run("encode/impl=binary-write", func(b *testing.B) {
		for b.Loop() {
			buf.Reset()
			writeQString(&buf, benchFortune)
		}
	})
	b.Run("encode/impl=pyqt5", func(b *testing.B) { benchPyQt5(b, "fortune57/encode") })
	frame := appendQString(nil, benchFortune)
	b.Run("decode/impl=slotnet", func(b *testing.B) {
		for b.Loop() {
			newBenchReader(frame).ReadString()
		}
	})
	b.Run("decode/impl=binary-append", func(b *testing.B) {
		for b.Loop() {
			decodeQString(frame)
		}
	})
	b.Run("decode/impl=binary-write", func(b *testing.B) {
		for b.Loop() {
			readQString(bytes.NewReader(frame))
		}
	})
	b.Run("decode/impl=pyqt5", func(b *testing.B) { benchPyQt5(b, "fortune57/decode") })
}

// BenchmarkDataStreamFortune56 is Qt ≤ 5.6's fortune frame: a quint16 byte
// count, then the QString.
func BenchmarkDataStreamFortune56(b *testing.B) {
	var buf bytes.Buffer
	b.Run("encode/impl=slotnet", func(b *testing.B) {
		for b.Loop() {
			encodeFortune56(&buf)
		}
	})
	b.Run("encode/impl=binary-append", func(b *testing.B) {
		var out []byte
		for b.Loop() {
			out = appendQString(append(out[:0], 0, 0), benchFortune)
			binary.BigEndian.PutUint16(out, uint16(len(out)-2))
		}
	})
	b.Run("encode/impl=pyqt5", func(b *testing.B) { benchPyQt5(b, "fortune56/encode") })
	encodeFortune56(&buf)
	frame := bytes.Clone(buf.Bytes())
	b.Run("decode/impl=slotnet", func(b *testing.B) {
		for b.Loop() {
			ds := newBenchReader(frame)
			ds.ReadUint16()
			ds.ReadString()
		}
	})
	b.Run("decode/impl=binary-append", func(b *testing.B) {
		for b.Loop() {
			_ = binary.BigEndian.Uint16(frame)
			decodeQString(frame[2:])
		}
	})
	b.Run("decode/impl=pyqt5", func(b *testing.B) { benchPyQt5(b, "fortune56/decode") })
}

// BenchmarkDataStreamStringList is a 1,000-element QStringList.
func BenchmarkDataStreamStringList(b *testing.B) {
	list := benchList()
	var buf bytes.Buffer
	b.Run("encode/impl=slotnet", func(b *testing.B) {
		for b.Loop() {
			newBenchWriter(&buf).WriteStringList(list)
		}
	})
	b.Run("encode/impl=binary-append", func(b *testing.B) {
		var out []byte
		for b.Loop() {
			out = binary.BigEndian.AppendUint32(out[:0], uint32(len(list)))
			for _, s := range list {
				out = appendQString(out, s)
			}
		}
	})
	b.Run("encode/impl=pyqt5", func(b *testing.B) { benchPyQt5(b, "stringlist/encode") })
	newBenchWriter(&buf).WriteStringList(list)
	data := bytes.Clone(buf.Bytes())
	b.Run("decode/impl=slotnet", func(b *testing.B) {
		for b.Loop() {
			newBenchReader(data).ReadStringList()
		}
	})
	b.Run("decode/impl=binary-append", func(b *testing.B) {
		for b.Loop() {
			n := binary.BigEndian.Uint32(data)
			rest := data[4:]
			out := make([]string, n)
			for i := range out {
				out[i], rest = decodeQString(rest)
			}
		}
	})
	b.Run("decode/impl=pyqt5", func(b *testing.B) { benchPyQt5(b, "stringlist/decode") })
}
