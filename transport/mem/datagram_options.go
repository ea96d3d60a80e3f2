package mem

import (
	"errors"
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

var errOptionValue = errors.New("option value out of range")

// Connect restricts the socket to remote: it then receives only remote's
// datagrams, Write sends to remote, and a datagram to remote that finds no
// socket makes the next read return ConnectionRefusedError. Datagrams
// already queued stay. The zero AddrPort disconnects (AF_UNSPEC).
func (s *DatagramSocket) Connect(remote netip.AddrPort) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return closedErr("connect")
	}
	if remote == (netip.AddrPort{}) {
		s.remote, s.local, s.softErr = netip.AddrPort{}, s.bound, nil
		return nil
	}
	remote = netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port())
	if err := s.checkDst("connect", remote); err != nil {
		return err
	}
	s.remote, s.softErr = remote, nil
	if a := s.bound.Addr(); a.IsUnspecified() {
		s.local = netip.AddrPortFrom(s.host.sourceFor(remote.Addr()), s.bound.Port())
	}
	return nil
}

// SetOption sets one of Qt's socket options:
//   - MulticastTtlOption: 0 to 255 (default 1);
//   - MulticastLoopbackOption: 0 or 1 (default 1);
//   - TypeOfServiceOption: 0 to 255, kept but without effect;
//   - ReceiveBufferSizeSocketOption: the receive buffer in bytes (> 0),
//     taken literally (Linux would double it);
//   - SendBufferSizeSocketOption: kept, sends never block in the model.
//
// Others give UnsupportedSocketOperationError.
func (s *DatagramSocket) SetOption(opt transport.SocketOption, value int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return closedErr("set option")
	}
	inRange := func(lo, hi int) bool { return value >= lo && value <= hi }
	ok := true
	switch opt {
	case transport.MulticastTtlOption:
		if ok = inRange(0, 255); ok {
			s.opts.mcastTTL = value
		}
	case transport.MulticastLoopbackOption:
		if ok = inRange(0, 1); ok {
			s.opts.mcastLoop = value == 1
		}
	case transport.TypeOfServiceOption:
		if ok = inRange(0, 255); ok {
			s.opts.tos = value
		}
	case transport.ReceiveBufferSizeSocketOption:
		if ok = value > 0; ok {
			s.rcvbuf = value
		}
	case transport.SendBufferSizeSocketOption:
		if ok = value > 0; ok {
			s.sndbuf = value
		}
	default:
		return unsupportedOption(opt)
	}
	if !ok {
		return &transport.Error{Code: transport.UnsupportedSocketOperationError, Op: "set option " + optionName(opt), Err: errOptionValue}
	}
	return nil
}

// Option returns an option's value. PathMtuSocketOption is the MTU of the
// path to the connected peer (OperationError when not connected).
func (s *DatagramSocket) Option(opt transport.SocketOption) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, closedErr("option")
	}
	switch opt {
	case transport.MulticastTtlOption:
		return s.opts.mcastTTL, nil
	case transport.MulticastLoopbackOption:
		return optBool(s.opts.mcastLoop), nil
	case transport.TypeOfServiceOption:
		return s.opts.tos, nil
	case transport.ReceiveBufferSizeSocketOption:
		return s.rcvbuf, nil
	case transport.SendBufferSizeSocketOption:
		return s.sndbuf, nil
	case transport.PathMtuSocketOption:
		if !s.remote.IsValid() {
			return 0, &transport.Error{Code: transport.OperationError, Op: "option PathMtuSocketOption", Err: errNotConnected}
		}
		_, mtu, _ := s.host.unicastPath(s.local.Addr(), s.remote.Addr())
		return mtu, nil
	}
	return 0, unsupportedOption(opt)
}

func unsupportedOption(opt transport.SocketOption) error {
	return &transport.Error{Code: transport.UnsupportedSocketOperationError, Op: "option " + optionName(opt)}
}

func optionName(opt transport.SocketOption) string {
	names := [...]string{"LowDelayOption", "KeepAliveOption", "MulticastTtlOption", "MulticastLoopbackOption",
		"TypeOfServiceOption", "SendBufferSizeSocketOption", "ReceiveBufferSizeSocketOption", "PathMtuSocketOption"}
	if opt >= 0 && int(opt) < len(names) {
		return names[opt]
	}
	return "SocketOption(?)"
}

func optBool(b bool) int {
	if b {
		return 1
	}
	return 0
}
