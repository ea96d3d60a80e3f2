package transport

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// Transport is everything the socket engine needs of a network: streams,
// datagrams, name lookup and the host's interfaces. The OS implementation
// (transport/netsock) uses package net; the in-memory network
// (transport/mem) gives every simulated host its own Transport. Every method is safe for
// concurrent use. Errors are *Error values classified with Qt's SocketError.
type Transport interface {
	// Dial opens a stream to remote. Refused → ConnectionRefusedError,
	// unreachable or ctx deadline → SocketTimeoutError / NetworkError.
	Dial(ctx context.Context, remote netip.AddrPort, opts DialOptions) (Stream, error)
	// Listen opens a stream listener on local (port 0 picks one).
	Listen(ctx context.Context, local netip.AddrPort, opts ListenOptions) (Listener, error)
	// BindDatagram opens a datagram socket on local (port 0 picks one).
	BindDatagram(ctx context.Context, local netip.AddrPort, opts BindOptions) (Datagram, error)
	// LookupHost resolves a name to addresses. Unknown name →
	// HostNotFoundError; a failing or silent server → an *Error whose
	// cause is a *net.DNSError.
	LookupHost(ctx context.Context, name string) ([]netip.Addr, error)
	// LookupAddr resolves an address to names (PTR).
	LookupAddr(ctx context.Context, addr netip.Addr) ([]string, error)
	// Interfaces lists the host's network interfaces.
	Interfaces() ([]Interface, error)
}

// Socket is what every socket of a transport has, stream or datagram:
// QAbstractSocket's common ground of QTcpSocket and QUdpSocket. The socket
// engine sets options and deadlines, reads addresses and closes through it
// once for both kinds. Write is not part of it on purpose: a stream's Write
// may send part of b and the rest later, a datagram's sends b whole or not
// at all, so code that writes must know which it holds.
type Socket interface {
	// LocalAddrPort is the bound local address.
	LocalAddrPort() netip.AddrPort
	// RemoteAddrPort is the peer (a datagram socket's connected peer, or
	// the zero value when it is not connected).
	RemoteAddrPort() netip.AddrPort
	// SetOption and Option get and set Qt's socket options. An option the
	// socket's kind lacks gives UnsupportedSocketOperationError.
	SetOption(opt SocketOption, value int) error
	Option(opt SocketOption) (int, error)
	// SetDeadline, SetReadDeadline and SetWriteDeadline are net.Conn's.
	SetDeadline(t time.Time) error
	SetReadDeadline(t time.Time) error
	SetWriteDeadline(t time.Time) error
	// Close releases the socket and unblocks every blocked call, which
	// then fails with an error wrapping net.ErrClosed.
	Close() error
}

// Stream is a connected byte stream: a net.Conn that can also half-close.
// Close must unblock every blocked Read and Write; CloseWrite sends EOF to
// the peer but keeps reading; a Read after the peer's CloseWrite returns a
// plain io.EOF once the data is drained. An abortive close (Abort) is seen by
// the peer as a reset (RemoteHostClosedError on its next read).
type Stream interface {
	net.Conn
	Socket
	CloseWrite() error
	// Abort closes at once, discarding unsent data, and resets the peer.
	Abort() error
}

// Listener accepts streams. It is a net.Listener whose Accept returns a
// Stream as a net.Conn.
type Listener interface {
	net.Listener
	// AcceptStream waits for the next stream, or ctx's end.
	AcceptStream(ctx context.Context) (Stream, error)
	AddrPort() netip.AddrPort
}

// DatagramMeta describes one received datagram.
type DatagramMeta struct {
	Src       netip.AddrPort // the sender
	Dst       netip.AddrPort // the address it was sent to (unicast, broadcast or group)
	HopLimit  int            // the remaining TTL / hop limit, -1 if unknown
	IfIndex   int            // the receiving interface's index, 0 if unknown
	Truncated bool           // the buffer was shorter than the datagram; the rest is lost
}

// Datagram is a bound datagram socket (UDP).
type Datagram interface {
	Socket
	// ReadDatagram reads one datagram into b; a longer datagram is
	// truncated (meta.Truncated set) and its rest discarded.
	ReadDatagram(b []byte) (n int, meta DatagramMeta, err error)
	// WriteDatagram sends b to dst as one datagram; b longer than the path
	// allows → DatagramTooLargeError. A zero-length datagram is valid.
	WriteDatagram(b []byte, dst netip.AddrPort) (int, error)
	// Connect restricts the socket to one peer: reads accept only its
	// datagrams and Write sends to it.
	Connect(remote netip.AddrPort) error
	// Write sends b to the connected peer.
	Write(b []byte) (int, error)
	// JoinGroup and LeaveGroup manage multicast membership on the named
	// interface ("" lets the system choose).
	JoinGroup(group netip.Addr, ifname string) error
	LeaveGroup(group netip.Addr, ifname string) error
	// SetMulticastInterface picks the outgoing interface for multicast.
	SetMulticastInterface(ifname string) error
}

// Interface describes one network interface (QNetworkInterface).
type Interface struct {
	Index    int
	Name     string
	MTU      int
	Prefixes []netip.Prefix
	Loopback bool
	Up       bool
	// Multicast and Broadcast say whether the interface supports them.
	Multicast bool
	Broadcast bool
}

// SocketOption is Qt's QAbstractSocket::SocketOption, same values.
type SocketOption int

// Qt 5's QAbstractSocket::SocketOption values.
const (
	LowDelayOption                SocketOption = 0 // TCP_NODELAY
	KeepAliveOption               SocketOption = 1 // SO_KEEPALIVE
	MulticastTtlOption            SocketOption = 2 // IP_MULTICAST_TTL
	MulticastLoopbackOption       SocketOption = 3 // IP_MULTICAST_LOOP
	TypeOfServiceOption           SocketOption = 4 // IP_TOS
	SendBufferSizeSocketOption    SocketOption = 5 // SO_SNDBUF
	ReceiveBufferSizeSocketOption SocketOption = 6 // SO_RCVBUF
	PathMtuSocketOption           SocketOption = 7 // IP_MTU
)

// BindMode is Qt's QAbstractSocket::BindMode (flags, same values).
type BindMode uint8

// Qt 5's QAbstractSocket::BindFlag values.
const (
	DefaultForPlatform BindMode = 0x0
	ShareAddress       BindMode = 0x1 // several sockets may bind the same address and port
	DontShareAddress   BindMode = 0x2 // exclusive bind
	ReuseAddressHint   BindMode = 0x4 // rebind even if a previous socket lingers
)

// DialOptions tune Dial. The zero value dials from an ephemeral port.
type DialOptions struct {
	Local     netip.AddrPort // the local address to bind first (zero: any)
	NoDelay   bool           // LowDelayOption
	KeepAlive time.Duration  // 0: the system default; <0: off
	SendBuf   int            // 0: default
	RecvBuf   int            // 0: default
}

// ListenOptions tune Listen.
type ListenOptions struct {
	Backlog int      // pending connections not yet accepted; 0 or negative: the default (as listen(2), Qt 5)
	Mode    BindMode // ShareAddress / ReuseAddressHint map to SO_REUSEADDR
}

// BindOptions tune BindDatagram.
type BindOptions struct {
	Mode      BindMode
	Broadcast bool   // allow sending to broadcast addresses (SO_BROADCAST)
	Interface string // the outgoing multicast interface ("" = default)
	RecvBuf   int    // receive buffer size, 0: default
}

// DatagramMetaWriter is implemented by datagram sockets that can send one
// datagram with its own hop limit (TTL) and outgoing interface index
// (QNetworkDatagram's hopLimit and interfaceIndex). A value ≤ 0 keeps the
// socket's default.
type DatagramMetaWriter interface {
	WriteDatagramMeta(b []byte, dst netip.AddrPort, hopLimit, ifIndex int) (int, error)
}

// DatagramMessage is one datagram of a batch (DatagramBatcher). To read,
// Buf is the buffer to fill; N and Meta are set for each datagram read
// (Meta.Truncated when Buf was too short). To write, Buf is the payload
// and Meta.Dst the destination; N is set to the bytes sent.
type DatagramMessage struct {
	Buf  []byte
	N    int
	Meta DatagramMeta
}

// DatagramBatcher is implemented by datagram sockets that move several
// datagrams per system call (Linux's recvmmsg and sendmmsg). The socket
// engine's reader uses it when present: one call, one coalesced
// notification, for as many datagrams as are waiting.
type DatagramBatcher interface {
	// ReadDatagrams waits for at least one datagram and fills msgs with
	// those already waiting, returning how many it filled. It fails as
	// ReadDatagram does, with nothing filled.
	ReadDatagrams(msgs []DatagramMessage) (int, error)
	// WriteDatagrams sends msgs in order, each as WriteDatagram would,
	// and returns how many were sent; on an error n < len(msgs), and
	// msgs[n] is the one that failed.
	WriteDatagrams(msgs []DatagramMessage) (int, error)
}
