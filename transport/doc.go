// Package transport defines the network that slotnet's socket engine runs
// over: streams, listeners, datagram sockets and name lookup, behind one
// Transport interface, with Qt's SocketError as the error classification
// shared by the transport and the engine.
//
// # The OS transport
//
// [OS] implements [Transport] over the host's real network: package net
// for streams and lookups, golang.org/x/net/ipv4 and ipv6 for datagram
// control messages and multicast. Its zero value works; [NewOS] takes
// options such as [WithLogger] and [WithResolver]:
//
//	tr := transport.NewOS(transport.WithLogger(logger))
//	l, err := tr.Listen(ctx, netip.MustParseAddrPort("127.0.0.1:0"), transport.ListenOptions{Backlog: 16})
//	s, err := tr.Dial(ctx, l.AddrPort(), transport.DialOptions{NoDelay: true})
//
// Streams keep the net.Conn contract whole (they pass
// golang.org/x/net/nettest.TestConn): a Read at end of stream returns a
// plain io.EOF, a deadline gives an error that matches
// os.ErrDeadlineExceeded and is a net.Error with Timeout() true, and use
// after Close matches net.ErrClosed. Every other error is an [*Error]
// whose Code says what happened in Qt's terms, so
//
//	if errors.Is(err, transport.ConnectionRefusedError) { ... }
//
// works across the OS and in-memory transports alike. [Classify] is the
// mapping from system and package net errors to codes; it is exported for
// code that meets such errors elsewhere.
//
// Where Qt and package net differ, the OS transport follows Qt: dialed and
// accepted streams start with LowDelayOption (TCP_NODELAY) off unless
// DialOptions.NoDelay is set, and a datagram socket may send to broadcast
// addresses only if BindOptions.Broadcast is set. Bind modes map to
// SO_REUSEADDR (ShareAddress, ReuseAddressHint; ShareAddress adds
// SO_REUSEPORT for datagrams on Linux, so every socket sharing a port gets
// the multicast sent to it) or to an exclusive bind (DontShareAddress). A
// listen backlog is applied with a second listen(2) on Unix. Connect on a
// datagram socket connects the kernel socket (connect(2) on its
// descriptor), so ICMP errors surface as ConnectionRefusedError; reads
// also drop datagrams from other senders queued before Connect. Binding a
// multicast group address binds the wildcard address on that port, as
// package net does.
//
// # Adapters
//
// The adapters work with any Transport, the in-memory one included:
//
//   - [DialContextFunc] is the dial function of http.Transport.DialContext,
//     grpc's WithContextDialer or net.Resolver.Dial; it resolves host names
//     with Transport.LookupHost.
//   - [Listen] is net.Listen over a Transport, for http.Server.Serve.
//   - [PacketConn] makes a Datagram a net.PacketConn; [DatagramConn]
//     makes a connected one a net.Conn (that is also a net.PacketConn, so
//     Go's DNS client frames its messages as UDP).
//   - [NewResolver] returns a *net.Resolver that sends every DNS query to
//     one server through the Transport, over UDP with a TCP retry.
//
// # Qt names
//
//	QAbstractSocket::SocketError            SocketError, *Error, Classify, CodeOf
//	QAbstractSocket::SocketOption           SocketOption; Stream.SetOption, Datagram.SetOption
//	QAbstractSocket::BindMode               BindMode in ListenOptions / BindOptions
//	QTcpServer::listen, setMaxPendingConnections   Transport.Listen, ListenOptions.Backlog
//	QTcpServer::nextPendingConnection       Listener.AcceptStream
//	QTcpSocket::connectToHost               Transport.Dial (after LookupHost)
//	QAbstractSocket::disconnectFromHost     Stream.CloseWrite, then Close
//	QAbstractSocket::abort                  Stream.Abort
//	QUdpSocket::bind                        Transport.BindDatagram
//	QUdpSocket::readDatagram, receiveDatagram  Datagram.ReadDatagram, DatagramMeta
//	QUdpSocket::writeDatagram               Datagram.WriteDatagram
//	QUdpSocket::joinMulticastGroup          Datagram.JoinGroup
//	QUdpSocket::setMulticastInterface       Datagram.SetMulticastInterface
//	QHostInfo::fromName, lookupHost         Transport.LookupHost, LookupAddr
//	QNetworkInterface::allInterfaces        Transport.Interfaces
package transport
