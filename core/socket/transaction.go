package socket

import "github.com/slotnet/slotnet/transport"

// Read transactions (QIODevice's startTransaction, commitTransaction,
// rollbackTransaction, Qt 5.7+). Inside a transaction, reads copy from the
// read buffer and advance the transaction's position without removing
// anything: BytesAvailable, Peek and CanReadLine see what comes after it,
// and data that arrives meanwhile joins the buffer as usual. A commit
// drops what the transaction read; a rollback keeps it, so the next read
// starts where the transaction did. What a transaction holds still counts
// against the read buffer size, as in Qt. A stream socket only: a datagram
// is read whole or not at all.
//
// core.DataStream uses these when it reads from a socket, so a frame that
// has not fully arrived stays in the socket's buffer (BytesAvailable counts
// it), as with Qt's QDataStream over a QTcpSocket.

// StartTransaction starts a read transaction. One already in progress is
// refused, as Qt refuses it (with a warning): transactions do not nest on
// a device.
func (e *Engine) StartTransaction() error {
	if err := e.txCheck("startTransaction"); err != nil {
		return err
	}
	if e.inTx {
		return e.refuse(transport.OperationError, "startTransaction", textTxInProgress)
	}
	e.inTx, e.txPos = true, 0
	return nil
}

// CommitTransaction ends the read transaction, consuming what it read.
func (e *Engine) CommitTransaction() error {
	if err := e.txEnd("commitTransaction"); err != nil {
		return err
	}
	n := e.txPos
	e.inTx, e.txPos = false, 0
	e.rbuf.discard(n)
	e.took(n)
	return nil
}

// RollbackTransaction ends the read transaction, keeping what it read: the
// next read starts where the transaction started.
func (e *Engine) RollbackTransaction() error {
	if err := e.txEnd("rollbackTransaction"); err != nil {
		return err
	}
	e.inTx, e.txPos = false, 0
	return nil
}

// IsTransactionStarted reports whether a read transaction is in progress.
func (e *Engine) IsTransactionStarted() bool { return e.inTx }

func (e *Engine) txCheck(op string) error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if e.cfg.Type == UdpSocket {
		return e.refuse(transport.UnsupportedSocketOperationError, op, "read transactions need a stream socket")
	}
	return nil
}

func (e *Engine) txEnd(op string) error {
	if err := e.txCheck(op); err != nil {
		return err
	}
	if !e.inTx {
		return e.refuse(transport.OperationError, op, textNoTx)
	}
	return nil
}

// clearRead empties the read buffer and ends a read transaction (Close,
// Abort, a new connection): Qt's device reset.
func (e *Engine) clearRead() {
	e.rbuf.reset()
	e.inTx, e.txPos = false, 0
}
