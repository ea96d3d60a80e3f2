// Package transport is the contract between slotnet's socket engine and a
// network: streams, listeners, datagram sockets and name lookup behind one
// [Transport] interface, with Qt's SocketError as the error classification
// shared by every implementation and the engine. It holds the contract and
// the adapters that work over any implementation; the implementations are
// its subpackages:
//
//	transport                 the contract: Transport, Socket, Stream, Datagram,
//	                          Listener, options, SocketError/*Error, Classify; adapters
//	transport/netsock         the host's real network (package net sockets)
//	transport/mem             an in-memory network with faults and virtual time
//	transport/transporttest   the conformance suite that checks any implementation
//
// # Errors
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
// works across implementations alike. [Classify] is the mapping from
// system and package net errors to codes and [WrapError] applies it; both
// are exported for implementations and for code that meets such errors
// elsewhere.
//
// # Adapters
//
// The adapters work with any Transport, the in-memory one included:
//
//   - [DialContextFunc] is the dial function of http.Transport.DialContext,
//     grpc's WithContextDialer or net.Resolver.Dial; it resolves host names
//     with Transport.LookupHost.
//   - [GRPCDialer] is the dialer of grpc's WithContextDialer; give grpc a
//     "passthrough:///host:port" target so it does not resolve the name.
//   - [Listen] is net.Listen over a Transport, for http.Server.Serve; an
//     optional [ListenOptions] sets the backlog and bind mode.
//   - [PacketConn] makes a Datagram a net.PacketConn; [DatagramConn]
//     makes a connected one a net.Conn (that is also a net.PacketConn, so
//     Go's DNS client frames its messages as UDP).
//   - [NewResolver] returns a [Resolver] (net.Resolver's lookups) that
//     sends every DNS query to one server through the Transport, over UDP
//     with a TCP retry; its errors name that server.
//   - For a miekg/dns client, dial with DialContextFunc and hand it the
//     connection: client.ExchangeWithConnContext(ctx, msg, &dns.Conn{Conn: c}).
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
//	QHostAddress                            HostAddress (comparable; == also compares scope ids)
//	QHostAddress(SpecialAddress)            Null, Broadcast, LocalHost, LocalHostIPv6, Any, AnyIPv6, AnyIPv4
//	QHostAddress::setAddress(QString)       ParseHostAddress, MustParseHostAddress, UnmarshalText
//	QHostAddress::toString                  HostAddress.String, MarshalText
//	QHostAddress::operator==                HostAddress.Equal
//	QHostAddress::protocol                  HostAddress.Protocol, NetworkLayerProtocol
//	QHostAddress::isInSubnet                HostAddress.IsInSubnet, IsInPrefix
//	QHostAddress::isLoopback, isMulticast, isBroadcast, isNull  the methods of those names
//	QHostAddress::scopeId, setScopeId       HostAddress.ScopeID, WithScopeID
//	QHostAddress(quint32/Q_IPV6ADDR), toIPv4Address, toIPv6Address  HostAddressFrom, HostAddress.Addr (netip.Addr)
package transport
