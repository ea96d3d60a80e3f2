// Package tcp will hold slotnet's TCP socket and server: tcp.Socket (Qt's
// QTcpSocket) and tcp.Server (QTcpServer), both driven by the shared socket
// engine in core and emitting their state changes as typed signals.
//
// This package is not built yet; see docs/ and the project's open issues.
package tcp
