// Package tcp is slotnet's TCP: Socket is Qt's QTcpSocket and Server is
// QTcpServer, both made of the shared socket engine (core/socket) and
// emitting their state changes as typed signals.
//
// A socket lives on a core.Loop (event-driven: connect slots to ReadyRead,
// Connected, ErrorOccurred …) or on no loop at all (blocking mode: the
// goroutine that uses it drives it with WaitForConnected, WaitForReadyRead,
// WaitForBytesWritten and WaitForDisconnected). Its read methods never wait
// — Qt's rule: they return what is buffered — and Write never blocks; Conn
// gives a net.Conn view with Go's blocking contract instead.
//
// Sockets run over any transport: the operating system's (the default) or
// the in-memory network (transport/mem), for tests without real sockets.
// See docs/sockets.md.
package tcp
