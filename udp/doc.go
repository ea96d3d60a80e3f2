// Package udp is slotnet's UDP: Socket is Qt's QUdpSocket — binding with
// Qt's bind modes, datagrams with their addressing (socket.Datagram is
// QNetworkDatagram), broadcast, multicast and the virtual connection —
// made of the same socket engine as tcp.Socket (core/socket), over any
// transport.
//
// Qt's rule for ReadyRead holds: it is emitted once when datagrams arrive,
// and again only after one has been read. See docs/sockets.md.
package udp
