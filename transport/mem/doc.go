// Package mem is an in-memory network for testing protocol code without real
// sockets: hosts with addresses and interfaces, TCP-faithful streams,
// datagrams with broadcast and multicast, a DNS zone, per-link faults, and
// virtual time under testing/synctest.
//
// # Streams
//
// A [Host] is a [transport.Transport]: Host.Listen opens a [Listener],
// Host.Dial connects to one, and both ends of the connection are [*Conn]
// values, net.Conns that behave like TCP sockets:
//
//	n := mem.New(mem.WithSeed(42))
//	a := n.MustAddHost("a", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
//	b := n.MustAddHost("b", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
//	ln, _ := b.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:80"), transport.ListenOptions{})
//	c, _ := a.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:80"), transport.DialOptions{})
//	s, _ := ln.AcceptStream(ctx)
//
// What a stream does, and how it maps to TCP:
//
//   - Handshake. The SYN crosses the link a→b and the SYN-ACK comes back,
//     so Dial returns one round trip of link delay later, and the
//     connection is then waiting in the listener's backlog. Nobody
//     listening (or a closed listener) answers with a reset:
//     ConnectionRefusedError after that round trip. An address nobody
//     owns, a partitioned link or a lost SYN makes the dialer retransmit
//     after [InitialRTO] (1 s, then 3 s, 7 s, ... as the timeout doubles)
//     until ctx ends; a ctx without a deadline gets
//     [DefaultConnectTimeout] (30 s, Qt's waitForConnected default). The
//     error is SocketTimeoutError and wraps both os.ErrDeadlineExceeded
//     and context.DeadlineExceeded; a cancelled ctx gives OperationError
//     wrapping context.Canceled.
//   - Backlog. Completed connections wait for Accept up to
//     ListenOptions.Backlog ([DefaultBacklog], 4096, Linux's somaxconn). Beyond it the
//     listener's [Overflow] policy applies: [OverflowRefuse] (the default)
//     resets the dialer at once; [OverflowDrop] ignores the SYN, so the
//     dialer retransmits and either gets in once Accept makes room or times
//     out. Set it per listener with Listener.SetOverflow or per host with
//     Host.SetListenOverflow. Closing a listener resets the connections it
//     had not accepted.
//   - Buffers and back-pressure. Write accepts bytes into the writer's send
//     buffer and the reader's receive buffer takes what arrives
//     ([DefaultBufferSize], 64 KiB each; SendBufferSizeSocketOption,
//     ReceiveBufferSizeSocketOption and DialOptions.SendBuf/RecvBuf change
//     them at any time), so a reader that does not read stops a writer
//     after both are full. Write blocks until there is room, and always
//     writes all of b or returns an error with the count accepted.
//   - TCP's clock. On a link with faults, data goes in segments of at most
//     the MSS (the path MTU minus 40 bytes of IPv4 and TCP headers, 60 for
//     IPv6: 1460 on ethernet) and every arrival sends an acknowledgement
//     back over the reverse link, one Latency later (held by a partition).
//     Acknowledgements, not the reader's Reads, free the send buffer, and
//     the receiver's window (its receive buffer less what it has not read)
//     travels with them, so a bulk transfer moves at most one window per
//     round trip, as TCP does. [WithSlowStart] adds slow start from an
//     initial window of [DefaultInitialWindow] segments
//     ([WithInitialWindow]). On a fault-free link, with nothing in flight,
//     a write lands in the reader's buffer at once, as before.
//   - Half-close. CloseWrite sends a FIN behind the data: the peer reads
//     the rest and then a plain io.EOF, and the closer can still read.
//   - Close. Every blocked or later Read and Write on that end fails with
//     an error wrapping net.ErrClosed; the FIN follows the data already
//     accepted, which the peer still receives in full. Data that arrives
//     at a closed end is answered with a reset, as TCP does: the Write
//     that sent it succeeds, and once the reset is back the next one fails
//     with RemoteHostClosedError wrapping syscall.EPIPE (the peer's FIN had
//     arrived; ECONNRESET otherwise), on every link, faults or not.
//   - Abort and reset. Abort discards this end's data still in flight and
//     sends an RST. The peer first reads what had already arrived, then its
//     Reads fail with RemoteHostClosedError wrapping syscall.ECONNRESET,
//     and its Writes fail the same way.
//   - Deadlines follow net.Conn exactly: a past deadline fails at once
//     (SocketTimeoutError, a net.Error with Timeout(), wrapping
//     os.ErrDeadlineExceeded), a future one unblocks a waiting operation
//     when it passes, moving it while an operation waits takes effect, and
//     the zero time clears it. Streams pass golang.org/x/net/nettest.TestConn.
//
// # Stream faults
//
// [Faults] apply per link direction ([Network.Link]) and may change while
// traffic flows; a segment keeps the faults it was sent under.
//
//   - Latency and Jitter delay each segment; a segment never overtakes an
//     earlier one, so jitter bunches segments up rather than reordering them.
//   - Loss stalls a segment for RetransmitDelay ([DefaultRetransmitDelay],
//     200 ms) and everything behind it waits; with VisibleStreamLoss the
//     segment's bytes are dropped instead, leaving a hole in the stream.
//   - Bandwidth serializes segments one after another on the link: a
//     segment of n bytes occupies it for (n+40)/Bandwidth seconds (60 for
//     IPv6: the headers travel too).
//   - Partitioned holds segments at the link until it heals; they arrive one
//     Latency after the heal. Dials across it retransmit their SYNs. A
//     partition that outlasts the retransmission budget ends the stream as
//     TCP does: [RetransmitTimeout] of [DefaultRetransmitRetries] (Linux's
//     tcp_retries2, 924.6 s; [WithRetransmitRetries] changes it) after the
//     held segment met the cut, both ends' Reads and Writes fail with
//     SocketTimeoutError wrapping syscall.ETIMEDOUT (after what had
//     arrived is read). An idle stream lives on across a partition unless
//     keepalive is on (KeepAliveOption; a dial's default, as in package
//     net): then it ends the same way DialOptions.KeepAlive (else
//     [DefaultKeepAliveIdle]) plus [DefaultKeepAliveCount] probe intervals
//     after the cut began, 150 s with package net's defaults. A heal in
//     time stops both clocks.
//   - ResetAfterBytes resets a stream once it has sent that many bytes over
//     the link: the peer reads exactly those bytes, then the reset; the
//     writer's Write returns the count accepted and RemoteHostClosedError.
//     ResetAt resets every stream crossing the link, both ends, at that time
//     (setting it again to the same time does not reset again).
//   - Segment cuts writes into segments (whole, fixed size, seeded random
//     sizes or single bytes), never larger than the MSS; with ShortReads
//     each Read returns at most one segment.
//
// Random choices come from one stream per link direction and fault kind,
// seeded by the network's seed and the hosts' names, so traffic on one link
// never shifts the draws of another, and turning on one fault kind never
// shifts another kind's: run the same test with the same [WithSeed] and
// every delay, loss and segment size repeats, as does the [Tap]'s trace.
// Under testing/synctest the segments' sizes and times are a function of
// the seed and of what the program writes when, never of goroutine
// scheduling: segments are cut at the MSS of the byte stream and at the
// ends of Writes, and acknowledgements are applied by timers, which fire
// only when the bubble is idle. The tap sees one connection's segments in
// the order they were sent; segments of different connections sent at the
// same virtual instant reach it in no fixed order (sort them by time and
// address), and connections sharing one link share its Bandwidth and
// random draws in the order their goroutines write. A Tap must not write
// to the streams it observes.
// The tap sees every segment (SYN, data, FIN, RST) as it enters its link;
// [Host.Counters] and [Link.Counters] count bytes, segments, stalls and
// resets.
// A lost segment's event has Retransmit set to the delay after which its
// bytes are sent again (the stream stalls meanwhile). A tap that also
// implements [AckTap] sees the acknowledgements of TCP's clock as
// [AckEvent] values (what has arrived, and the window), which
// transport/pcapng turns into ACK segments; the check is made once per
// connection, and without a tap none of this costs anything.
//
// # Virtual time
//
// The network keeps time only through package time (timers, never a
// sleeping goroutine per segment), so inside testing/synctest's bubble
// latency, retransmission and timeouts cost no wall time: a test that dials
// an unreachable host with an hour's timeout finishes at once. On a
// fault-free link a write lands in the reader's buffer immediately, with no
// timer and no allocation.
//
// # Datagrams
//
// Host.BindDatagram opens a UDP socket (a *DatagramSocket). Datagrams keep
// their boundaries; a zero-length datagram is delivered; a read into a short
// buffer returns the first bytes with DatagramMeta.Truncated set and the rest
// is lost. DatagramMeta gives the sender, the address the datagram was sent
// to, the hop limit (64 for unicast and broadcast, the multicast TTL for a
// group) and the receiving interface's index (1 is loopback: a host's traffic
// to its own addresses goes through it).
//
// The model does not fragment: a datagram longer than the path MTU (the
// smaller MTU of the interfaces it leaves and arrives through) minus 28 bytes
// of IPv4 headers or 48 of IPv6 fails with DatagramTooLargeError, and nothing
// longer than MaxDatagram (65507) is ever sent. A datagram to an address no
// host owns vanishes.
//
// Each socket queues what it receives in a receive buffer of
// DefaultReceiveBuffer bytes (Linux's rmem_default;
// ReceiveBufferSizeSocketOption or BindOptions.RecvBuf change it, taken
// literally). A datagram costs its length plus DatagramOverhead; one that
// does not fit is dropped and counted (DatagramSocket.Dropped,
// HostCounters.DatagramsDropped); an empty queue always takes one.
//
// A unicast datagram goes to one socket: one connected to its sender first,
// then one bound to its destination address exactly, then a wildcard one,
// earliest bound first. Connect filters the senders a socket hears and gives
// Write its destination; a datagram from a connected socket that finds no
// socket at its destination makes the sender's next read fail with
// ConnectionRefusedError (the model's ICMP port unreachable). Read deadlines
// wake blocked reads with a net.Error timeout wrapping os.ErrDeadlineExceeded,
// checked before queued data as package net does; Close wakes them with an
// error wrapping net.ErrClosed.
//
// Faults apply per link direction. Each datagram entering a link is, in this
// order, dropped if the link is Partitioned (LinkCounters.PartitionedDrops),
// lost with probability Loss, duplicated with probability Duplicate (the copy
// follows the original), and held back with probability Reorder: a held
// datagram is delivered right behind the next datagram on the link, or
// ReorderWindow (10ms) after its own time if none comes. Its delivery time is
// the send time plus the link's serialization time at Bandwidth (payload plus
// 28 bytes of headers; the link is shared with streams) plus Latency and a
// jitter drawn from [0, Jitter]. Deliveries are ordered by time, then send
// order, so equal delays keep datagrams in order. A datagram with no delay is
// delivered before WriteDatagram returns; the others are delivered by a timer
// from package time, so under testing/synctest latency takes no real time.
// Every draw comes from the link's seeded random streams: a seed replays every
// fate. The Tap sees each datagram as it enters a link, with the link's
// verdict (Dropped, Duplicated); for a datagram delivered at once, Dropped
// also reports a full receive queue.
//
// # Broadcast and multicast
//
// Sending to 255.255.255.255 or to the directed broadcast address of one of
// the host's subnets (10.0.0.255 for 10.0.0.1/24) needs
// BindOptions.Broadcast, else SocketAccessError (EACCES). The datagram reaches
// every socket bound to its port, on a wildcard address, on every host with
// an interface on that subnet, the sender's host included. 255.255.255.255
// leaves through the bound address's interface, else the first one with an
// IPv4 address.
//
// Multicast membership is per socket and per interface: JoinGroup(group,
// ifname) with "" meaning the host's first non-loopback interface (or
// loopback when it has none) and "lo" allowed. Every member bound to the
// group's port (on a wildcard address or the group address) gets its own
// copy, so several sockets sharing a port with ShareAddress all receive; a
// socket that has not joined receives nothing. Without ShareAddress on both
// sides a second bind of the port is AddressInUseError.
//
// The model has no multicast routers. A group datagram leaves through the
// interface SetMulticastInterface (or BindOptions.Interface) picked, else the
// default one. With MulticastTtlOption 0 it stays on the sending host; with
// 1 or more (the default is 1) it reaches every host with an interface on
// the same LAN as the outgoing interface (an interface sharing a subnet with
// it), and no further, whatever the TTL. The sending host's own members get a
// copy unless MulticastLoopbackOption is 0 (the default is 1, as on Linux).
// Through "lo" a group reaches the sending host only.
//
// # Names
//
// Every host resolves names through Host.LookupHost and Host.LookupAddr:
//
//   - an IP literal is itself; "localhost" is 127.0.0.1 and ::1;
//   - then the network's Zone (Network.Zone creates it, Network.SetZone
//     replaces it): A, AAAA, CNAME (chains followed, at most 8) and PTR
//     records, with a latency per name (SetLatency; "" for the default) and a
//     failure mode per name (SetFailure: NXDomain, ServFail, NoAnswer);
//   - then the names of the network's hosts, like a hosts file (at once);
//   - a reverse lookup uses PTR records, else the zone's names holding the
//     address, else "localhost" for loopback, else the owning host's name.
//
// A name the zone does not know takes the zone's default latency to fail.
//
// Every failure is a *transport.Error whose cause is a *net.DNSError. A
// name that does not exist or has no address, and a failing server (SERVFAIL,
// a CNAME loop), give HostNotFoundError, which is what a Qt socket reports for
// any failed lookup; the DNSError tells them apart (IsNotFound, IsTemporary).
// A silent server (NoAnswer) gives SocketTimeoutError after the zone's
// timeout (DefaultLookupTimeout, 10s) or at ctx's deadline; a cancelled ctx
// gives OperationError wrapping context.Canceled.
//
// Host.ServeDNS serves the same answers as real DNS messages over UDP and
// TCP on one port (golang.org/x/net/dns/dnsmessage): A, AAAA, CNAME and
// PTR, NXDOMAIN, SERVFAIL, the zone's latency, and silence for NoAnswer. A
// UDP answer larger than the client accepts (512 bytes, or its EDNS0 size)
// or than the path carries comes back truncated (TC set), and the client
// asks again over TCP, so answers of any size resolve. Package net's
// resolver works unchanged against it:
//
//	srv, _ := server.ServeDNS(netip.MustParseAddrPort("10.0.0.2:53"))
//	defer srv.Close()
//	r := transport.NewResolver(client, srv.Addr())
//	ips, err := r.LookupNetIP(ctx, "ip", "www.example.test.")
//
// Qt → slotnet: QUdpSocket's datagrams → DatagramSocket (through udp.Socket);
// QAbstractSocket::BroadcastOption → BindOptions.Broadcast; joinMulticastGroup
// / leaveMulticastGroup → JoinGroup / LeaveGroup; setMulticastInterface →
// SetMulticastInterface; QHostInfo::lookupHost / fromName → Host.LookupHost,
// answered by the network's Zone.
//
// # Closing the network: leaks
//
// Network.Close ends a simulated world and checks the test cleaned up: it
// closes every DNS server, listener and datagram socket, aborts every stream
// end, stops every pending delivery, retransmission and keepalive timer, and
// returns a *LeakError naming whatever was still open (each stream end, with
// its pending timers; each datagram still in flight). Afterwards the network
// refuses new hosts, dials, listens, binds and lookups with an error wrapping
// ErrNetworkClosed (and net.ErrClosed). With WithCreationSites each leak
// also names the file:line outside package mem that created it, and its
// stack; without it nothing is recorded and a dial costs what it did.
// Package memtest does this per test: memtest.New(t) turns sites on and
// fails the test at cleanup with one error per leak.
//
// # Exploring orders
//
// WithTieBreak(seed) makes the order of deliveries due at the same virtual
// instant a function of the seed: every segment and datagram is delayed by
// a seeded offset under TieWindow (1µs) drawn from its addresses and its
// place in its stream, so none is delivered inline, no two share an
// instant, and under testing/synctest each delivery's effects settle before
// the next. WithLinkFaults gives every link the same faults. Package
// explore builds fuzzing, a bounded search and a minimiser on the two.
//
// # Qt → slotnet
//
//	QTcpServer::listen / nextPendingConnection → Host.Listen / Listener.AcceptStream
//	QTcpServer::setMaxPendingConnections        → ListenOptions.Backlog
//	QTcpSocket::connectToHost                    → Host.Dial
//	QAbstractSocket::disconnectFromHost          → Conn.CloseWrite, then Close
//	QAbstractSocket::abort                       → Conn.Abort
//	QAbstractSocket::setSocketOption             → Conn.SetOption
//	QAbstractSocket::RemoteHostClosedError       → a reset (or read io.EOF for a FIN)
package mem
