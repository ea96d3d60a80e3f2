package core

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// allocated returns the bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDataStreamHugePrefixAllocatesLittle gives every length-prefixed
// decoder a prefix of about 4 GiB in 8 bytes of input, over a reader (which
// cannot know how much follows) and over bytes: each must fail with
// ReadPastEnd having allocated nothing large.
func TestDataStreamHugePrefixAllocatesLittle(t *testing.T) {
	huge := []byte{0xff, 0xff, 0xff, 0xfe, 1, 2, 3, 4}
	variantList := []byte{0, 0, 0, 9, 0, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 1}
	decoders := map[string]func(*DataStream){
		"QString":     func(ds *DataStream) { ds.ReadString() },
		"QByteArray":  func(ds *DataStream) { ds.ReadByteArray() },
		"QStringList": func(ds *DataStream) { ds.ReadStringList() },
		"QList<qint32>": func(ds *DataStream) {
			ReadList(ds, (*DataStream).ReadInt32)
		},
		"QMap<QString,QVariant>": func(ds *DataStream) { readVariantMap(ds) },
		"QVariantList":           func(ds *DataStream) { ds.ReadVariant() },
	}
	const bound = 256 << 10
	for name, decode := range decoders {
		input := huge
		if name == "QVariantList" {
			input = variantList
		}
		for kind, open := range map[string]func() *DataStream{
			"reader": func() *DataStream { return NewDataStreamReader(bytes.NewReader(input)) },
			"bytes":  func() *DataStream { return NewDataStreamBytes(input) },
		} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				var ds *DataStream
				n := allocated(func() {
					ds = open()
					decode(ds)
				})
				assert.Equal(t, StatusReadPastEnd, ds.Status())
				assert.Less(t, n, uint64(bound), "allocated %d bytes for %d bytes of input", n, len(input))
			})
		}
	}
}

// TestDataStreamLongStringReadsFromReader checks that chunked growth still
// reads a long value whole.
func TestDataStreamLongStringReadsFromReader(t *testing.T) {
	long := bytes.Repeat([]byte("slotnet "), 100_000)
	var b bytes.Buffer
	w := NewDataStreamWriter(&b)
	w.WriteByteArray(long)
	w.WriteString(string(long))
	r := NewDataStreamReader(&b)
	assert.Equal(t, long, r.ReadByteArray())
	assert.Equal(t, string(long), r.ReadString())
	assert.NoError(t, r.Err())
}

func TestDataStreamFixedReadsDoNotAllocate(t *testing.T) {
	data := bytes.Repeat([]byte{1}, 1<<16)
	ds := NewDataStreamBytes(data)
	allocs := testing.AllocsPerRun(100, func() {
		ds.ReadInt32()
		ds.ReadFloat64()
		ds.ReadBool()
	})
	assert.Zero(t, allocs)
}
