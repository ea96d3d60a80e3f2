// Package transport defines the network that slotnet's socket engine runs
// over: streams, listeners, datagram sockets and name lookup, behind one
// Transport interface, with Qt's SocketError as the error classification
// shared by the transport and the engine.
package transport
