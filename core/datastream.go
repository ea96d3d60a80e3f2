package core

import (
	"errors"
	"fmt"
	"io"
)

// StreamVersion is QDataStream::Version: the serialization format of a
// DataStream. The values are Qt's; several Qt releases share one format.
type StreamVersion int

// The supported versions, Qt_4_0 … Qt_5_15, with Qt's numbers.
const (
	Qt_4_0  StreamVersion = 7
	Qt_4_1  StreamVersion = Qt_4_0
	Qt_4_2  StreamVersion = 8
	Qt_4_3  StreamVersion = 9
	Qt_4_4  StreamVersion = 10
	Qt_4_5  StreamVersion = 11
	Qt_4_6  StreamVersion = 12
	Qt_4_7  StreamVersion = Qt_4_6
	Qt_4_8  StreamVersion = Qt_4_7
	Qt_4_9  StreamVersion = Qt_4_8
	Qt_5_0  StreamVersion = 13
	Qt_5_1  StreamVersion = 14
	Qt_5_2  StreamVersion = 15
	Qt_5_3  StreamVersion = Qt_5_2
	Qt_5_4  StreamVersion = 16
	Qt_5_5  StreamVersion = Qt_5_4
	Qt_5_6  StreamVersion = 17
	Qt_5_7  StreamVersion = Qt_5_6
	Qt_5_8  StreamVersion = Qt_5_7
	Qt_5_9  StreamVersion = Qt_5_8
	Qt_5_10 StreamVersion = Qt_5_9
	Qt_5_11 StreamVersion = Qt_5_10
	Qt_5_12 StreamVersion = 18
	Qt_5_13 StreamVersion = 19
	Qt_5_14 StreamVersion = Qt_5_13
	Qt_5_15 StreamVersion = Qt_5_14

	// DefaultStreamVersion is a new DataStream's version, Qt 5.15's
	// default.
	DefaultStreamVersion = Qt_5_15
)

// ByteOrder is QDataStream::ByteOrder.
type ByteOrder int

// Byte orders; BigEndian is the default, as in Qt.
const (
	BigEndian ByteOrder = iota
	LittleEndian
)

// FloatingPointPrecision is QDataStream::FloatingPointPrecision: the size
// floating-point numbers have on the wire from Qt_4_6 on.
type FloatingPointPrecision int

// Precisions, with Qt's values. DoublePrecision is the default.
const (
	SinglePrecision FloatingPointPrecision = iota
	DoublePrecision
)

// StreamStatus is QDataStream::Status. A stream's status is sticky: once
// it is not StatusOk, later errors do not replace it and writes do nothing,
// until ResetStatus.
type StreamStatus int

// Statuses, with Qt's values.
const (
	StatusOk StreamStatus = iota
	StatusReadPastEnd
	StatusReadCorruptData
	StatusWriteFailed
)

// Errors a DataStream reports through [DataStream.Err]; they match with
// errors.Is (the returned *StreamError also unwraps to the I/O error, if
// one caused it).
var (
	ErrReadPastEnd       = errors.New("core: data stream read past end")
	ErrReadCorruptData   = errors.New("core: data stream read corrupt data")
	ErrWriteFailed       = errors.New("core: data stream write failed")
	ErrUnsupportedStream = errors.New("core: unsupported data stream version")
)

func (s StreamStatus) String() string {
	switch s {
	case StatusOk:
		return "Ok"
	case StatusReadPastEnd:
		return "ReadPastEnd"
	case StatusReadCorruptData:
		return "ReadCorruptData"
	case StatusWriteFailed:
		return "WriteFailed"
	}
	return fmt.Sprintf("StreamStatus(%d)", int(s))
}

func (s StreamStatus) sentinel() error {
	switch s {
	case StatusReadPastEnd:
		return ErrReadPastEnd
	case StatusReadCorruptData:
		return ErrReadCorruptData
	case StatusWriteFailed:
		return ErrWriteFailed
	}
	return nil
}

// StreamError is the error of a DataStream whose status is not StatusOk:
// the status, why, and the I/O error that caused it, if any.
type StreamError struct {
	Status StreamStatus
	Reason string // what failed, e.g. "odd QString byte length 3"
	Err    error  // the device's error, or nil
}

func (e *StreamError) Error() string {
	msg := "core: data stream status " + e.Status.String()
	if err := e.Status.sentinel(); err != nil {
		msg = err.Error()
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is matches the sentinel of e's status.
func (e *StreamError) Is(target error) bool {
	return target != nil && target == e.Status.sentinel()
}

// Unwrap returns the device's error.
func (e *StreamError) Unwrap() error { return e.Err }

// TransactionDevice is a device with QIODevice's read transactions, such
// as a tcp.Socket. A DataStream over one delegates its outermost
// transaction to it, so the bytes of an incomplete frame stay in the
// device; over any other reader it keeps the transaction's bytes itself.
// An error from the device (e.g. a call from the wrong goroutine) sets the
// stream's status to StatusReadPastEnd with the error as its cause.
type TransactionDevice interface {
	StartTransaction() error
	CommitTransaction() error
	RollbackTransaction() error
}

// DataStream is QDataStream: Qt's binary serialization over an io.Reader
// and/or io.Writer, byte-compatible with Qt 4.0 to 5.15 (checked against
// real Qt 5 for every type, version, byte order and precision; see
// docs/datastream.md).
//
// Reads and writes never panic and never return errors one by one: a
// failure sets the stream's sticky status, after which writes do nothing
// and, inside a transaction, reads return zero values. Check
// [DataStream.Status] or [DataStream.Err] after a group of operations, as
// in Qt.
//
// A read takes exactly the bytes it needs from the device; it never reads
// ahead. A Read that returns (0, nil) — a non-blocking device with nothing
// buffered, as a slotnet socket — counts as the end of the available data,
// as in Qt. A length prefix never allocates ahead of the data: values grow
// as their bytes arrive. Writes go to the writer value by value; wrap a
// socket in a bufio.Writer, or build a frame in a bytes.Buffer first, as
// Qt's examples do with a QByteArray.
//
// Qt → slotnet:
//
//	QDataStream(QIODevice *)              NewDataStream(rw), NewDataStreamReader(r), NewDataStreamWriter(w)
//	QDataStream(const QByteArray &)       NewDataStreamBytes(b)
//	setVersion(QDataStream::Qt_5_10)      SetVersion(Qt_5_10) (error if outside Qt_4_0 … Qt_5_15)
//	setByteOrder / setFloatingPointPrecision  SetByteOrder(LittleEndian) / SetFloatingPointPrecision(SinglePrecision)
//	status() / setStatus / resetStatus    Status() (StatusOk, StatusReadPastEnd, …), Err(), SetStatus, ResetStatus
//	startTransaction / commitTransaction  StartTransaction / CommitTransaction (bool)
//	rollbackTransaction / abortTransaction  RollbackTransaction / AbortTransaction
//	<< / >> bool, qint8 … quint64         WriteBool, WriteInt8 … WriteUint64; ReadBool, ReadInt8 … ReadUint64
//	<< / >> float, double                 WriteFloat32, WriteFloat64; ReadFloat32, ReadFloat64
//	<< / >> QString                       WriteString / ReadString (string); WriteNullString / ReadNullString (NullString)
//	<< / >> QByteArray                    WriteByteArray / ReadByteArray ([]byte; nil is the null QByteArray)
//	<< / >> QStringList                   WriteStringList / ReadStringList
//	<< / >> QList<T>, QMap<K, V>          WriteList / ReadList, WriteMap / ReadMap (generic)
//	<< / >> QDate, QTime, QDateTime       WriteDate, WriteTime, WriteDateTime; ReadDate, ReadTime, ReadDateTime
//	<< / >> QVariant                      WriteVariant / ReadVariant (Variant, MetaType)
//	<< / >> QHostAddress                  WriteHostAddress / ReadHostAddress (transport.HostAddress)
//	operator<< / >> of your own type      DataStreamMarshaler / DataStreamUnmarshaler, WriteValue / ReadValue
//	readRawData / writeRawData / skipRawData  ReadRawData / WriteRawData / SkipRawData
//
// A DataStream is not safe for concurrent use.
type DataStream struct {
	r  io.Reader
	w  io.Writer
	tx TransactionDevice // r's own transactions, or nil

	// buf[pos:] is read before r: the source bytes of NewDataStreamBytes,
	// or the bytes read from r during a transaction we keep ourselves.
	buf []byte
	pos int

	version   StreamVersion
	order     ByteOrder
	precision FloatingPointPrecision
	status    StreamStatus
	err       *StreamError
	txDepth   int
	txStart   int // pos at the outermost StartTransaction
	scratch   [16]byte
	enc       []byte // reused encoding buffer for strings
	avail     availableBufferer
}

// NewDataStream returns a stream that reads from and writes to rw.
func NewDataStream(rw io.ReadWriter) *DataStream {
	return newDataStream(rw, rw)
}

// NewDataStreamReader returns a read-only stream over r; writes fail with
// StatusWriteFailed.
func NewDataStreamReader(r io.Reader) *DataStream { return newDataStream(r, nil) }

// NewDataStreamWriter returns a write-only stream over w; reads fail with
// StatusReadPastEnd.
func NewDataStreamWriter(w io.Writer) *DataStream { return newDataStream(nil, w) }

// NewDataStreamBytes returns a read-only stream over b, as
// QDataStream(const QByteArray &). It reads b in place, without copying.
func NewDataStreamBytes(b []byte) *DataStream {
	ds := newDataStream(nil, nil)
	ds.buf = b
	return ds
}

// availableBufferer is a writer that lends its free space for the next
// Write, as bytes.Buffer and bufio.Writer do.
type availableBufferer interface {
	AvailableBuffer() []byte
}

func newDataStream(r io.Reader, w io.Writer) *DataStream {
	ds := &DataStream{r: r, w: w, version: DefaultStreamVersion, precision: DoublePrecision}
	if tx, ok := r.(TransactionDevice); ok {
		ds.tx = tx
	}
	if ab, ok := w.(availableBufferer); ok {
		ds.avail = ab
	}
	return ds
}

// Version returns the stream's format version.
func (ds *DataStream) Version() StreamVersion { return ds.version }

// SetVersion sets the format version; a version outside Qt_4_0 … Qt_5_15
// is refused with ErrUnsupportedStream and the version stays.
func (ds *DataStream) SetVersion(v StreamVersion) error {
	if v < Qt_4_0 || v > Qt_5_15 {
		return fmt.Errorf("%w: %d (supported: %d to %d)", ErrUnsupportedStream, v, Qt_4_0, Qt_5_15)
	}
	ds.version = v
	return nil
}

// ByteOrder returns the stream's byte order.
func (ds *DataStream) ByteOrder() ByteOrder { return ds.order }

// SetByteOrder sets the byte order of numbers and of QString's UTF-16.
func (ds *DataStream) SetByteOrder(o ByteOrder) { ds.order = o }

// FloatingPointPrecision returns the stream's floating-point precision.
func (ds *DataStream) FloatingPointPrecision() FloatingPointPrecision { return ds.precision }

// SetFloatingPointPrecision sets the size of float32 and float64 values on
// the wire from Qt_4_6 on; earlier versions ignore it.
func (ds *DataStream) SetFloatingPointPrecision(p FloatingPointPrecision) { ds.precision = p }

// Status returns the stream's status.
func (ds *DataStream) Status() StreamStatus { return ds.status }

// Err returns nil while the status is StatusOk, else a *StreamError that
// says what failed first.
func (ds *DataStream) Err() error {
	if ds.status == StatusOk || ds.err == nil {
		return nil
	}
	return ds.err
}

// SetStatus sets the status, unless it is already not StatusOk (Qt's
// setStatus: the first error sticks).
func (ds *DataStream) SetStatus(s StreamStatus) { ds.fail(s, "set by caller", nil) }

// ResetStatus sets the status back to StatusOk.
func (ds *DataStream) ResetStatus() {
	ds.status = StatusOk
	ds.err = nil
}

func (ds *DataStream) fail(s StreamStatus, reason string, err error) {
	if ds.status != StatusOk || s == StatusOk {
		return
	}
	ds.status = s
	ds.err = &StreamError{Status: s, Reason: reason, Err: err}
}

// Buffered returns how many bytes the stream holds that it has not yet
// returned: the unread rest of NewDataStreamBytes' slice, or the bytes of a
// rolled-back transaction over a device without transactions of its own.
func (ds *DataStream) Buffered() int { return len(ds.buf) - ds.pos }
