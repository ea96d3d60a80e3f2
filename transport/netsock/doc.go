// Package netsock is the Transport over the host's real network: the
// kernel's sockets through package net. It is one of the two
// implementations of the transport contract, beside transport/mem, and
// passes the same conformance suite (transport/transporttest).
//
// [Transport] uses package net for streams and lookups, and
// golang.org/x/net/ipv4 and ipv6 for datagram control messages and
// multicast. Its zero value works; [New] takes
// options such as [WithLogger] and [WithResolver]:
//
//	tr := netsock.New(netsock.WithLogger(logger))
//	l, err := tr.Listen(ctx, netip.MustParseAddrPort("127.0.0.1:0"), transport.ListenOptions{Backlog: 16})
//	s, err := tr.Dial(ctx, l.AddrPort(), transport.DialOptions{NoDelay: true})
//
// Errors are *transport.Error values classified with transport.Classify;
// a Read at end of stream returns a plain io.EOF.
//
// Where Qt and package net differ, this transport follows Qt: dialed and
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
// # Qt names
//
//	QTcpServer::listen, setMaxPendingConnections   Transport.Listen, transport.ListenOptions.Backlog
//	QTcpSocket::connectToHost               Transport.Dial
//	QUdpSocket::bind                        Transport.BindDatagram
//	QHostInfo::fromName, lookupHost         Transport.LookupHost, LookupAddr
//	QNetworkInterface::allInterfaces        Transport.Interfaces
package netsock
