// Package socket is slotnet's socket engine: Qt's QAbstractSocket — the
// states, the signals, the error codes and texts, and the QIODevice read
// and write buffers — written once over transport.Stream so that tcp.Socket
// (and udp.Socket) share it and run over any transport: the operating
// system's sockets or the in-memory network.
//
// An Engine lives in the context of its core.Object: its loop, or, for an
// object without a loop, the goroutine that uses it (blocking mode). A
// reader goroutine per connection fills the read buffer and posts one
// coalesced notification; the loop then emits ReadyRead. Write appends to
// the write buffer and returns; a writer goroutine, running only while
// there is something to send, drains it, and the loop emits BytesWritten.
// Nothing the loop calls ever blocks on the network.
//
// See docs/sockets.md for the state machine, the order of signals on each
// path, and where slotnet differs from Qt.
package socket
