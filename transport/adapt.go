package transport

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
)

// DialContextFunc adapts any Transport to the dial function that
// net/http's Transport.DialContext, grpc's WithContextDialer and
// net.Resolver.Dial expect. network is "tcp", "tcp4" or "tcp6" (a Stream
// with TCP_NODELAY on, as package net dials) or "udp", "udp4" or "udp6" (a
// connected datagram socket, see DatagramConn). A host name in address is
// resolved with t.LookupHost and its addresses are tried in order; the
// port must be numeric. An empty host dials the loopback address.
func DialContextFunc(t Transport) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		stream, family, err := splitNetwork(network)
		if err != nil {
			return nil, &Error{Code: UnsupportedSocketOperationError, Op: "dial", Addr: address, Err: err}
		}
		addrs, port, err := resolveAddress(ctx, t, address, family)
		if err != nil {
			return nil, err
		}
		var last error
		for _, a := range addrs {
			c, err := dialOne(ctx, t, stream, netip.AddrPortFrom(a, port))
			if err == nil {
				return c, nil
			}
			last = err
			if ctx.Err() != nil {
				break
			}
		}
		return nil, last
	}
}

// splitNetwork parses a Go network name into stream-or-datagram and the
// address family wanted (0: either, 4, 6).
func splitNetwork(network string) (stream bool, family int, err error) {
	switch network {
	case "tcp", "udp":
		return network == "tcp", 0, nil
	case "tcp4", "udp4":
		return network == "tcp4", 4, nil
	case "tcp6", "udp6":
		return network == "tcp6", 6, nil
	}
	return false, 0, net.UnknownNetworkError(network)
}

// resolveAddress splits "host:port" and resolves host through t.
func resolveAddress(ctx context.Context, t Transport, address string, family int) ([]netip.Addr, uint16, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, 0, &Error{Code: SocketAddressNotAvailableError, Op: "dial", Addr: address, Err: err}
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, 0, NewError(SocketAddressNotAvailableError, "dial", address, "port must be a number from 0 to 65535")
	}
	addrs, err := hostAddrs(ctx, t, host, family)
	if err != nil {
		return nil, 0, err
	}
	return addrs, uint16(port), nil
}

// hostAddrs returns host's addresses of the wanted family.
func hostAddrs(ctx context.Context, t Transport, host string, family int) ([]netip.Addr, error) {
	var all []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		all = []netip.Addr{a.Unmap()}
	} else if host == "" {
		all = []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1}), netip.IPv6Loopback()}
	} else if all, err = t.LookupHost(ctx, host); err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, a := range all {
		if family == 0 || (family == 4) == a.Is4() {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, NewError(HostNotFoundError, "dial", host, "no address of the requested family")
	}
	return out, nil
}

// dialOne opens a stream or a connected datagram socket to remote.
func dialOne(ctx context.Context, t Transport, stream bool, remote netip.AddrPort) (net.Conn, error) {
	if stream {
		return t.Dial(ctx, remote, DialOptions{NoDelay: true})
	}
	unspec := netip.IPv6Unspecified()
	if remote.Addr().Is4() {
		unspec = netip.IPv4Unspecified()
	}
	d, err := t.BindDatagram(ctx, netip.AddrPortFrom(unspec, 0), BindOptions{})
	if err != nil {
		return nil, err
	}
	if err := d.Connect(remote); err != nil {
		d.Close()
		return nil, err
	}
	return DatagramConn(d), nil
}

// Listen adapts any Transport to a net.Listen-style call: network is
// "tcp", "tcp4" or "tcp6", address is "host:port" with a literal IP host or
// an empty one (every address; "tcp4" every IPv4 address). Accepted
// streams get TCP_NODELAY on, as package net's do. One optional
// ListenOptions sets the backlog and bind mode:
//
//	l, err := transport.Listen(host, "tcp", "10.0.0.2:80", transport.ListenOptions{Backlog: 16})
//
// More than one ListenOptions is an error (UnsupportedSocketOperationError).
func Listen(t Transport, network, address string, opts ...ListenOptions) (net.Listener, error) {
	stream, family, err := splitNetwork(network)
	if err == nil && !stream {
		err = net.UnknownNetworkError(network)
	}
	if err == nil && len(opts) > 1 {
		err = errManyOptions
	}
	if err != nil {
		return nil, &Error{Code: UnsupportedSocketOperationError, Op: "listen", Addr: address, Err: err}
	}
	local, err := listenAddress(address, family)
	if err != nil {
		return nil, err
	}
	var o ListenOptions
	if len(opts) == 1 {
		o = opts[0]
	}
	l, err := t.Listen(context.Background(), local, o)
	if err != nil {
		return nil, err
	}
	return lowDelayListener{l}, nil
}

// errManyOptions is the cause of a Listen given more than one ListenOptions.
var errManyOptions = errors.New("at most one ListenOptions may be given")

// GRPCDialer adapts any Transport to the dialer of grpc's
// WithContextDialer, func(ctx, address) (net.Conn, error), dialing TCP
// streams. Give grpc a passthrough:/// target so that it hands the address
// to the dialer unresolved instead of resolving it with the system's DNS:
//
//	conn, err := grpc.NewClient("passthrough:///10.0.0.2:50051",
//		grpc.WithContextDialer(transport.GRPCDialer(host)),
//		grpc.WithTransportCredentials(insecure.NewCredentials()))
//
// A host name in the address is resolved with t.LookupHost.
func GRPCDialer(t Transport) func(ctx context.Context, address string) (net.Conn, error) {
	dial := DialContextFunc(t)
	return func(ctx context.Context, address string) (net.Conn, error) {
		return dial(ctx, "tcp", address)
	}
}

// listenAddress parses a listen address; the host must be a literal.
func listenAddress(address string, family int) (netip.AddrPort, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return netip.AddrPort{}, &Error{Code: SocketAddressNotAvailableError, Op: "listen", Addr: address, Err: err}
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return netip.AddrPort{}, NewError(SocketAddressNotAvailableError, "listen", address, "port must be a number from 0 to 65535")
	}
	var a netip.Addr
	switch {
	case host != "":
		if a, err = netip.ParseAddr(host); err != nil {
			return netip.AddrPort{}, &Error{Code: SocketAddressNotAvailableError, Op: "listen", Addr: address, Err: err}
		}
	case family == 4:
		a = netip.IPv4Unspecified()
	case family == 6:
		a = netip.IPv6Unspecified()
	}
	return netip.AddrPortFrom(a, uint16(port)), nil
}

// lowDelayListener turns TCP_NODELAY on for every accepted stream.
type lowDelayListener struct{ Listener }

// Accept waits for the next stream and turns its LowDelayOption on, best
// effort: a stream that cannot take the option (a transport without it, a
// peer that already reset) is still returned, so that a server's accept
// loop never stops over one connection.
func (l lowDelayListener) Accept() (net.Conn, error) {
	s, err := l.AcceptStream(context.Background())
	if err != nil {
		return nil, err
	}
	_ = s.SetOption(LowDelayOption, 1)
	return s, nil
}
