package core

import (
	"errors"
	"io"
	"slices"
)

var errNotWritable = errors.New("stream has no writer")

// recording reports whether bytes read from the device must be kept for a
// rollback: inside a transaction, over a device without transactions.
func (ds *DataStream) recording() bool { return ds.txDepth > 0 && ds.tx == nil }

// readable reports whether a read may touch the device: Qt disables reads
// once a transacted stream has failed.
func (ds *DataStream) readable() bool { return ds.status == StatusOk || ds.txDepth == 0 }

// fill reads len(p) bytes into p, from the buffer first and then from the
// device, and returns how many it got. It stops at the device's end, error
// or a (0, nil) read: the available data is exhausted.
func (ds *DataStream) fill(p []byte) int {
	n := copy(p, ds.buf[ds.pos:])
	ds.pos += n
	if ds.pos == len(ds.buf) && !ds.recording() {
		ds.buf, ds.pos = nil, 0
	}
	for n < len(p) && ds.r != nil {
		m, err := ds.r.Read(p[n:])
		if m > 0 && ds.recording() {
			ds.buf = append(ds.buf, p[n:n+m]...)
			ds.pos = len(ds.buf)
		}
		n += m
		if err != nil {
			if !errors.Is(err, io.EOF) {
				ds.fail(StatusReadPastEnd, "device read failed", err)
			}
			break
		}
		if m == 0 {
			break
		}
	}
	return n
}

// next returns the next n (≤ len(scratch)) bytes, or nil after setting
// StatusReadPastEnd. The slice is valid until the next read.
func (ds *DataStream) next(n int) []byte {
	if !ds.readable() {
		return nil
	}
	if len(ds.buf)-ds.pos >= n {
		b := ds.buf[ds.pos : ds.pos+n]
		ds.pos += n
		if ds.pos == len(ds.buf) && ds.r != nil && !ds.recording() {
			ds.buf, ds.pos = nil, 0 // b stays valid: nothing writes the old array
		}
		return b
	}
	b := ds.scratch[:n]
	if ds.fill(b) != n {
		ds.fail(StatusReadPastEnd, "not enough data", nil)
		return nil
	}
	return b
}

// readInto fills p like QDataStream::readRawData and reports whether it
// got all of it; a short read sets StatusReadPastEnd.
func (ds *DataStream) readInto(p []byte) bool {
	if !ds.readable() {
		return false
	}
	if ds.fill(p) != len(p) {
		ds.fail(StatusReadPastEnd, "not enough data", nil)
		return false
	}
	return true
}

// readChunked reads n bytes, growing the result as data arrives, so a
// length prefix larger than the input allocates no more than the input
// justifies. It returns nil after a short read.
func (ds *DataStream) readChunked(n uint64) []byte {
	const step = 64 << 10
	if !ds.readable() {
		return nil
	}
	if ds.r == nil && uint64(len(ds.buf)-ds.pos) < n {
		ds.pos = len(ds.buf) // Qt consumes what there is before failing
		ds.fail(StatusReadPastEnd, "length prefix beyond the data", nil)
		return nil
	}
	out := make([]byte, 0, min(n, step))
	for uint64(len(out)) < n {
		start := len(out)
		chunk := int(min(n-uint64(start), uint64(max(cap(out)-start, step))))
		out = slices.Grow(out, chunk)[:start+chunk]
		if !ds.readInto(out[start:]) {
			return nil
		}
	}
	return out
}

// ReadRawData reads len(p) bytes into p (QDataStream::readRawData) and
// returns how many it read; fewer than len(p) sets StatusReadPastEnd.
func (ds *DataStream) ReadRawData(p []byte) int {
	if !ds.readable() {
		return 0
	}
	n := ds.fill(p)
	if n != len(p) {
		ds.fail(StatusReadPastEnd, "not enough data", nil)
	}
	return n
}

// SkipRawData discards n bytes (QDataStream::skipRawData) and returns how
// many it skipped; fewer than n sets StatusReadPastEnd.
func (ds *DataStream) SkipRawData(n int) int {
	var skipped int
	for skipped < n && ds.readable() {
		chunk := ds.scratch[:min(n-skipped, len(ds.scratch))]
		got := ds.fill(chunk)
		skipped += got
		if got < len(chunk) {
			ds.fail(StatusReadPastEnd, "not enough data", nil)
			break
		}
	}
	return skipped
}

// WriteRawData writes p as it is (QDataStream::writeRawData) and returns
// how many bytes the device took.
func (ds *DataStream) WriteRawData(p []byte) int {
	if ds.status != StatusOk {
		return 0
	}
	if ds.w == nil {
		ds.fail(StatusWriteFailed, "", errNotWritable)
		return 0
	}
	n, err := ds.w.Write(p)
	if err == nil && n != len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		ds.fail(StatusWriteFailed, "", err)
	}
	return n
}

// StartTransaction starts a read transaction (QDataStream::startTransaction):
// until it is committed, rolled back or aborted, the bytes read can be read
// again. A transaction started inside another joins it; only the outermost
// one acts. The outermost one resets the status to StatusOk.
func (ds *DataStream) StartTransaction() {
	ds.txDepth++
	if ds.txDepth != 1 {
		return
	}
	ds.ResetStatus()
	if ds.tx != nil {
		ds.deviceTx(ds.tx.StartTransaction)
	} else {
		ds.compact()
		ds.txStart = ds.pos
	}
}

// CommitTransaction ends a transaction and reports whether the status is
// StatusOk. When the outermost transaction ends with StatusReadPastEnd it
// is rolled back instead: the bytes it read will be read again.
func (ds *DataStream) CommitTransaction() bool {
	if ds.txDepth == 0 {
		return false // Qt: "not in transaction"
	}
	ds.txDepth--
	if ds.txDepth == 0 {
		if ds.status == StatusReadPastEnd {
			ds.deviceRollback()
			return false
		}
		ds.deviceCommit()
	}
	return ds.status == StatusOk
}

// RollbackTransaction ends a transaction, marking the data incomplete: it
// sets StatusReadPastEnd (unless the status already holds an error), and
// the outermost one rewinds to its start if the status is StatusReadPastEnd,
// else keeps the bytes read (a corrupt frame is not re-read).
func (ds *DataStream) RollbackTransaction() {
	ds.fail(StatusReadPastEnd, "transaction rolled back", nil)
	if ds.txDepth == 0 {
		return
	}
	ds.txDepth--
	if ds.txDepth != 0 {
		return
	}
	if ds.status == StatusReadPastEnd {
		ds.deviceRollback()
	} else {
		ds.deviceCommit()
	}
}

// AbortTransaction ends a transaction on data that cannot be read: it sets
// StatusReadCorruptData (unless the status already holds an error) and the
// outermost one keeps the bytes read.
func (ds *DataStream) AbortTransaction() {
	ds.fail(StatusReadCorruptData, "transaction aborted", nil)
	if ds.txDepth == 0 {
		return
	}
	ds.txDepth--
	if ds.txDepth == 0 {
		ds.deviceCommit()
	}
}

// IsTransactionStarted reports whether a transaction is in progress.
func (ds *DataStream) IsTransactionStarted() bool { return ds.txDepth > 0 }

// deviceTx runs one of the device's transaction calls; its error fails
// the stream.
func (ds *DataStream) deviceTx(call func() error) {
	if err := call(); err != nil {
		ds.fail(StatusReadPastEnd, "device transaction failed", err)
	}
}

func (ds *DataStream) deviceRollback() {
	if ds.tx != nil {
		ds.deviceTx(ds.tx.RollbackTransaction)
		return
	}
	ds.pos = ds.txStart
}

func (ds *DataStream) deviceCommit() {
	if ds.tx != nil {
		ds.deviceTx(ds.tx.CommitTransaction)
		return
	}
	if ds.pos == len(ds.buf) && ds.r != nil {
		ds.buf, ds.pos = nil, 0
	}
}

// compact drops the consumed bytes of a reader's buffer before a
// transaction records into it.
func (ds *DataStream) compact() {
	if ds.r == nil || ds.pos == 0 {
		return
	}
	n := copy(ds.buf, ds.buf[ds.pos:])
	ds.buf, ds.pos = ds.buf[:n], 0
}
