// Package udp will hold slotnet's UDP socket, udp.Socket (Qt's QUdpSocket):
// binding with Qt's bind modes, datagrams, broadcast and multicast, driven by
// the shared socket engine in core.
//
// This package is not built yet; see docs/ and the project's open issues.
package udp
