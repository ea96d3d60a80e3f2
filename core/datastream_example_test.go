package core_test

import (
	"bytes"
	"fmt"

	"github.com/slotnet/slotnet/core"
)

// The fortune server's frame from Qt 5.7 on: a bare QString.
func ExampleDataStream() {
	var block bytes.Buffer
	out := core.NewDataStreamWriter(&block)
	_ = out.SetVersion(core.Qt_5_10)
	out.WriteString("Hi, Qt!")
	fmt.Printf("% x\n", block.Bytes())

	in := core.NewDataStreamBytes(block.Bytes())
	_ = in.SetVersion(core.Qt_5_10)
	fmt.Println(in.ReadString(), in.Status())
	// Output:
	// 00 00 00 0e 00 48 00 69 00 2c 00 20 00 51 00 74 00 21
	// Hi, Qt! Ok
}

// The fortune client's read: a frame that has not fully arrived is rolled
// back and read again when more bytes come.
func ExampleDataStream_StartTransaction() {
	frame := []byte{0, 0, 0, 4, 0, 'o', 0, 'k'}
	var socket bytes.Buffer // stands in for a socket's read buffer
	in := core.NewDataStreamReader(&socket)
	for _, arrived := range [][]byte{frame[:3], frame[3:6], frame[6:]} {
		socket.Write(arrived)
		in.StartTransaction()
		fortune := in.ReadString()
		if !in.CommitTransaction() {
			fmt.Println("incomplete:", in.Status())
			continue
		}
		fmt.Println("fortune:", fortune)
	}
	// Output:
	// incomplete: ReadPastEnd
	// incomplete: ReadPastEnd
	// fortune: ok
}

// Point is a Qt type with operator<< and operator>>, in Go.
type Point struct{ X, Y int32 }

func (p Point) MarshalDataStream(ds *core.DataStream) {
	ds.WriteInt32(p.X)
	ds.WriteInt32(p.Y)
}

func (p *Point) UnmarshalDataStream(ds *core.DataStream) {
	p.X = ds.ReadInt32()
	p.Y = ds.ReadInt32()
}

// A QList<Point> and a QMap<QString, qint32>, written field by field
// without reflection.
func ExampleWriteList() {
	var b bytes.Buffer
	out := core.NewDataStreamWriter(&b)
	core.WriteList(out, []Point{{1, 2}, {3, 4}}, core.WriteValue[Point])
	core.WriteMap(out, map[string]int32{"a": 1, "b": 2}, (*core.DataStream).WriteString, (*core.DataStream).WriteInt32)

	in := core.NewDataStreamBytes(b.Bytes())
	points := core.ReadList(in, core.ReadValue[Point])
	scores := core.ReadMap(in, (*core.DataStream).ReadString, (*core.DataStream).ReadInt32)
	fmt.Println(points, scores, in.Err())
	// Output:
	// [{1 2} {3 4}] map[a:1 b:2] <nil>
}

// A QVariantMap as a Qt settings or JSON-ish protocol sends it.
func ExampleDataStream_ReadVariant() {
	var b bytes.Buffer
	out := core.NewDataStreamWriter(&b)
	out.WriteVariant(core.Variant{Type: core.MetaVariantMap, Value: map[string]core.Variant{
		"port": {Type: core.MetaInt, Value: int32(45454)},
		"name": {Type: core.MetaString, Value: "fortune"},
	}})
	in := core.NewDataStreamBytes(b.Bytes())
	v := in.ReadVariant()
	m := v.Value.(map[string]core.Variant)
	fmt.Println(m["name"].Value, m["port"].Value, in.Err())
	// Output:
	// fortune 45454 <nil>
}
