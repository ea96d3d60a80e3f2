package netsock

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"

	"go.uber.org/zap"

	"github.com/slotnet/slotnet/transport"
)

// OS is the Transport over the host's real network: package net for
// streams and lookups, golang.org/x/net/ipv4 and ipv6 for datagram control
// messages and multicast. The zero value is ready to use (no logging,
// net.DefaultResolver); New applies options.
//
// Semantics follow Qt rather than package net where they differ: a dialed
// or accepted stream starts with LowDelayOption (TCP_NODELAY) off, as a
// QTcpSocket does, unless DialOptions.NoDelay asks for it.
type Transport struct {
	log      *zap.Logger
	resolver Resolver
}

var _ transport.Transport = (*Transport)(nil)

// New returns an OS transport configured by opts.
func New(opts ...Option) *Transport {
	o := &Transport{}
	for _, opt := range opts {
		opt.apply(o)
	}
	return o
}

func (o *Transport) logger() *zap.Logger {
	if o == nil || o.log == nil {
		return zap.NewNop()
	}
	return o.log
}

// Resolver is what the OS transport looks names up with: a *net.Resolver,
// or a *transport.Resolver that sends every query to one server.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

func (o *Transport) netResolver() Resolver {
	if o == nil || o.resolver == nil {
		return net.DefaultResolver
	}
	return o.resolver
}

// unmapAddrPort turns a v4-mapped IPv6 address into plain IPv4.
func unmapAddrPort(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// ipNetwork picks "tcp4"/"tcp6" (or "udp4"/"udp6") for an address's
// family, and the dual-stack base network for the zero address.
func ipNetwork(base string, a netip.Addr) string {
	switch {
	case !a.IsValid():
		return base
	case a.Is4():
		return base + "4"
	}
	return base + "6"
}

// hostPort formats a local address for net.Listen; an invalid address
// means every address (dual-stack), with ap's port (0: an ephemeral one).
func hostPort(ap netip.AddrPort) string {
	if !ap.Addr().IsValid() {
		return net.JoinHostPort("", strconv.Itoa(int(ap.Port())))
	}
	return ap.String()
}

// Dial connects a TCP stream to remote, from opts.Local if set.
func (o *Transport) Dial(ctx context.Context, remote netip.AddrPort, opts transport.DialOptions) (transport.Stream, error) {
	remote = unmapAddrPort(remote)
	if !remote.Addr().IsValid() {
		return nil, transport.NewError(transport.SocketAddressNotAvailableError, "dial", remote.String(), "invalid remote address")
	}
	d := net.Dialer{
		KeepAlive: opts.KeepAlive,
		Control:   bindControl(transport.DefaultForPlatform, false, opts.RecvBuf, opts.SendBuf),
	}
	if opts.Local.Addr().IsValid() {
		d.LocalAddr = net.TCPAddrFromAddrPort(unmapAddrPort(opts.Local))
	}
	c, err := d.DialContext(ctx, ipNetwork("tcp", remote.Addr()), remote.String())
	if err != nil {
		return nil, transport.WrapError("dial", remote.String(), err)
	}
	s := newOSStream(c.(*net.TCPConn))
	if err := s.conn.SetNoDelay(opts.NoDelay); err != nil {
		s.conn.Close()
		return nil, transport.WrapError("dial", remote.String(), err)
	}
	o.logger().Debug("dialed", zap.Stringer("local", s.local), zap.Stringer("remote", s.remote))
	return s, nil
}

// Listen opens a TCP listener on local. A positive opts.Backlog is applied
// with a second listen(2) on Unix (package net always uses the system's
// maximum); elsewhere the system default stays. opts.Mode: ShareAddress and
// ReuseAddressHint keep SO_REUSEADDR on (package net's default for
// listeners), DontShareAddress turns it off.
func (o *Transport) Listen(ctx context.Context, local netip.AddrPort, opts transport.ListenOptions) (transport.Listener, error) {
	local = unmapAddrPort(local)
	lc := net.ListenConfig{Control: bindControl(opts.Mode, false, 0, 0)}
	ln, err := lc.Listen(ctx, ipNetwork("tcp", local.Addr()), hostPort(local))
	if err != nil {
		return nil, transport.WrapError("listen", local.String(), err)
	}
	l := newOSListener(ln.(*net.TCPListener))
	if opts.Backlog > 0 {
		if err := l.setBacklog(opts.Backlog); err != nil {
			l.Close()
			return nil, transport.WrapError("listen", local.String(), err)
		}
	}
	o.logger().Debug("listening", zap.Stringer("local", l.addr), zap.Int("backlog", opts.Backlog))
	return l, nil
}

// Interfaces lists the host's interfaces with their address prefixes.
func (o *Transport) Interfaces() ([]transport.Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, transport.WrapError("interfaces", "", err)
	}
	out := make([]transport.Interface, 0, len(ifs))
	for _, ifi := range ifs {
		out = append(out, convertInterface(ifi))
	}
	return out, nil
}

// convertInterface describes one net.Interface; an interface whose
// addresses cannot be read is listed without prefixes.
func convertInterface(ifi net.Interface) transport.Interface {
	it := transport.Interface{
		Index:     ifi.Index,
		Name:      ifi.Name,
		MTU:       ifi.MTU,
		Loopback:  ifi.Flags&net.FlagLoopback != 0,
		Up:        ifi.Flags&net.FlagUp != 0,
		Multicast: ifi.Flags&net.FlagMulticast != 0,
		Broadcast: ifi.Flags&net.FlagBroadcast != 0,
	}
	addrs, _ := ifi.Addrs()
	for _, a := range addrs {
		if p, ok := ipNetPrefix(a); ok {
			it.Prefixes = append(it.Prefixes, p)
		}
	}
	return it
}

// ipNetPrefix converts an interface address to a netip.Prefix.
func ipNetPrefix(a net.Addr) (netip.Prefix, bool) {
	ipn, ok := a.(*net.IPNet)
	if !ok {
		return netip.Prefix{}, false
	}
	addr, ok := netip.AddrFromSlice(ipn.IP)
	if !ok {
		return netip.Prefix{}, false
	}
	ones, _ := ipn.Mask.Size()
	if addr.Is4In6() && len(ipn.Mask) == net.IPv6len {
		ones -= 96
	}
	return netip.PrefixFrom(addr.Unmap(), ones), true
}

// errNotConnected is the cause of a Write on an unconnected datagram socket.
var errNotConnected = errors.New("socket is not connected")
