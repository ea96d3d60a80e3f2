package core

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nonBlocking is a device like a slotnet socket: Read returns (0, nil)
// when nothing is buffered.
type nonBlocking struct{ buf bytes.Buffer }

func (d *nonBlocking) Read(p []byte) (int, error) {
	if d.buf.Len() == 0 {
		return 0, nil
	}
	return d.buf.Read(p)
}

// txDevice is a device with QIODevice-style transactions of its own.
type txDevice struct {
	data  []byte
	pos   int
	start int
	calls []string
	err   error // what the transaction calls return
}

func (d *txDevice) Read(p []byte) (int, error) {
	n := copy(p, d.data[d.pos:])
	d.pos += n
	return n, nil
}
func (d *txDevice) StartTransaction() error {
	d.start = d.pos
	d.calls = append(d.calls, "start")
	return d.err
}
func (d *txDevice) CommitTransaction() error { d.calls = append(d.calls, "commit"); return d.err }
func (d *txDevice) RollbackTransaction() error {
	d.pos = d.start
	d.calls = append(d.calls, "rollback")
	return d.err
}

func fortuneFrame(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	ds := NewDataStreamWriter(&b)
	ds.WriteString(s)
	require.NoError(t, ds.Err())
	return b.Bytes()
}

// readFortune is the Qt 5.7+ fortune client's readFortune.
func readFortune(ds *DataStream) (string, bool) {
	ds.StartTransaction()
	s := ds.ReadString()
	return s, ds.CommitTransaction()
}

func TestDataStreamTransactionRetriesIncompleteFrame(t *testing.T) {
	frame := fortuneFrame(t, "You've got to think about tomorrow!")
	dev := &nonBlocking{}
	ds := NewDataStreamReader(dev)
	for i := range frame[:len(frame)-1] {
		dev.buf.WriteByte(frame[i])
		_, ok := readFortune(ds)
		require.False(t, ok, "frame complete after %d of %d bytes", i+1, len(frame))
		assert.Equal(t, StatusReadPastEnd, ds.Status())
		assert.Equal(t, i+1, ds.Buffered(), "the rolled-back bytes are kept")
	}
	dev.buf.WriteByte(frame[len(frame)-1])
	s, ok := readFortune(ds)
	require.True(t, ok)
	assert.Equal(t, "You've got to think about tomorrow!", s)
	assert.Equal(t, StatusOk, ds.Status())
	assert.Zero(t, ds.Buffered())
}

func TestDataStreamTransactionDelegatesToDevice(t *testing.T) {
	frame := fortuneFrame(t, "fortune")
	dev := &txDevice{data: frame[:5]}
	ds := NewDataStreamReader(dev)
	_, ok := readFortune(ds)
	assert.False(t, ok)
	assert.Equal(t, 0, dev.pos, "the device rewound")
	assert.Zero(t, ds.Buffered(), "the stream kept nothing itself")
	dev.data = frame
	s, ok := readFortune(ds)
	assert.True(t, ok)
	assert.Equal(t, "fortune", s)
	assert.Equal(t, []string{"start", "rollback", "start", "commit"}, dev.calls)
}

// A device that refuses a transaction call (a socket called from the
// wrong goroutine, say) fails the stream with the device's error.
func TestDataStreamDeviceTransactionErrorFailsTheStream(t *testing.T) {
	refused := errors.New("wrong loop")
	dev := &txDevice{data: fortuneFrame(t, "fortune"), err: refused}
	ds := NewDataStreamReader(dev)
	ds.StartTransaction()
	assert.Equal(t, StatusReadPastEnd, ds.Status())
	assert.ErrorIs(t, ds.Err(), refused)
	assert.Empty(t, ds.ReadString(), "reads are disabled in a failed transaction")
	assert.False(t, ds.CommitTransaction())
	assert.Equal(t, []string{"start", "rollback"}, dev.calls, "the failed transaction is rolled back on the device")
}

func TestDataStreamNestedTransactionsJoinTheOuter(t *testing.T) {
	ds := NewDataStreamBytes([]byte{0, 0, 0, 1, 0, 0})
	ds.StartTransaction()
	assert.Equal(t, uint32(1), ds.ReadUint32())
	ds.StartTransaction()
	ds.ReadUint32() // only 2 bytes left
	assert.False(t, ds.CommitTransaction(), "inner commit reports the failure")
	assert.True(t, ds.IsTransactionStarted(), "the outer one is still open")
	assert.Zero(t, ds.ReadUint16(), "reads are disabled in a failed transaction")
	assert.False(t, ds.CommitTransaction())
	assert.Equal(t, 6, ds.Buffered(), "the outer commit on ReadPastEnd rolled back everything")
	assert.False(t, ds.CommitTransaction(), "commit outside a transaction")
}

func TestDataStreamRollbackAndAbort(t *testing.T) {
	ds := NewDataStreamBytes([]byte{1, 2, 3, 4})
	ds.StartTransaction()
	ds.ReadUint16()
	ds.RollbackTransaction()
	assert.Equal(t, StatusReadPastEnd, ds.Status(), "rollback marks the data incomplete")
	assert.Equal(t, 4, ds.Buffered(), "and rewinds")

	ds.StartTransaction()
	assert.Equal(t, StatusOk, ds.Status(), "the outermost start resets the status")
	ds.ReadUint16()
	ds.AbortTransaction()
	assert.Equal(t, StatusReadCorruptData, ds.Status())
	assert.ErrorIs(t, ds.Err(), ErrReadCorruptData)
	assert.Equal(t, 2, ds.Buffered(), "abort keeps the corrupt bytes consumed")

	ds.StartTransaction()
	ds.ReadUint8()
	ds.SetStatus(StatusReadCorruptData)
	ds.RollbackTransaction()
	assert.Equal(t, 1, ds.Buffered(), "rollback after corrupt data does not rewind")
}

func TestDataStreamStatusIsSticky(t *testing.T) {
	ds := NewDataStreamBytes([]byte{0, 0, 0, 3, 0, 'a', 0, 'b'})
	assert.Equal(t, "", ds.ReadString(), "odd byte length")
	assert.Equal(t, StatusReadCorruptData, ds.Status())
	ds.ReadUint64()
	assert.Equal(t, StatusReadCorruptData, ds.Status(), "a later ReadPastEnd does not replace it")
	assert.ErrorIs(t, ds.Err(), ErrReadCorruptData)
	assert.Contains(t, ds.Err().Error(), "odd QString byte length")
	ds.ResetStatus()
	assert.NoError(t, ds.Err())
}

type failingWriter struct{ n int }

var errDisk = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n < len(p) {
		return 0, errDisk
	}
	w.n -= len(p)
	return len(p), nil
}

func TestDataStreamWriteFailureStopsWrites(t *testing.T) {
	w := &failingWriter{n: 4}
	ds := NewDataStreamWriter(w)
	ds.WriteInt32(1)
	ds.WriteString("too much")
	assert.Equal(t, StatusWriteFailed, ds.Status())
	assert.ErrorIs(t, ds.Err(), ErrWriteFailed)
	assert.ErrorIs(t, ds.Err(), errDisk)

	ro := NewDataStreamBytes(nil)
	ro.WriteBool(true)
	assert.ErrorIs(t, ro.Err(), ErrWriteFailed, "a read-only stream cannot write")
	wo := NewDataStreamWriter(&bytes.Buffer{})
	wo.ReadBool()
	assert.ErrorIs(t, wo.Err(), ErrReadPastEnd, "a write-only stream cannot read")
}

type errReader struct{}

var errWire = errors.New("wire cut")

func (errReader) Read([]byte) (int, error) { return 0, errWire }

func TestDataStreamDeviceErrorIsKept(t *testing.T) {
	ds := NewDataStreamReader(errReader{})
	ds.ReadInt32()
	assert.ErrorIs(t, ds.Err(), ErrReadPastEnd)
	assert.ErrorIs(t, ds.Err(), errWire)
}

func TestDataStreamSetVersionRefusesUnsupported(t *testing.T) {
	ds := NewDataStreamBytes(nil)
	assert.ErrorIs(t, ds.SetVersion(6), ErrUnsupportedStream)
	assert.ErrorIs(t, ds.SetVersion(20), ErrUnsupportedStream)
	assert.Equal(t, Qt_5_15, ds.Version())
	require.NoError(t, ds.SetVersion(Qt_5_6))
	assert.Equal(t, StreamVersion(17), ds.Version())
}

func TestDataStreamUnknownStatusHasAnError(t *testing.T) {
	ds := NewDataStreamBytes(nil)
	ds.SetStatus(StreamStatus(9))
	assert.EqualError(t, ds.Err(), "core: data stream status StreamStatus(9): set by caller")
	assert.NotErrorIs(t, ds.Err(), ErrReadPastEnd)
}

func TestDataStreamHostAddressUnknownProtocolIsCorrupt(t *testing.T) {
	ds := NewDataStreamBytes([]byte{7, 1, 2, 3, 4})
	assert.True(t, ds.ReadHostAddress().IsNull())
	assert.ErrorIs(t, ds.Err(), ErrReadCorruptData)
}
