package mem

import (
	"time"

	"github.com/slotnet/slotnet/transport"
)

// DefaultBufferSize is a stream end's send and receive buffer size unless
// SendBufferSizeSocketOption or ReceiveBufferSizeSocketOption changes it.
// A direction's window (the bytes written but not yet read that Write
// accepts before it blocks) is the writer's send buffer plus the reader's
// receive buffer.
const DefaultBufferSize = 64 << 10

// streamOpts are a stream end's socket options.
type streamOpts struct {
	sndbuf, rcvbuf int
	lowDelay       bool
	keepAlive      bool
	// keepAlivePeriod is the dial's KeepAlive: the probes' idle time and
	// interval (0: the defaults).
	keepAlivePeriod time.Duration
	tos             int
}

func defaultStreamOpts() streamOpts {
	return streamOpts{sndbuf: DefaultBufferSize, rcvbuf: DefaultBufferSize, keepAlive: false}
}

// SetOption sets one of Qt's socket options. The buffer sizes resize the
// windows at once (never below what they hold); LowDelayOption,
// KeepAliveOption and TypeOfServiceOption are kept and reported; the
// multicast options and PathMtuSocketOption are not stream options
// (UnsupportedSocketOperationError). A negative or zero buffer size is
// refused.
func (e *Conn) SetOption(opt transport.SocketOption, value int) error {
	c := e.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.closed {
		return streamClosedErr("setsockopt", e.local)
	}
	switch opt {
	case transport.LowDelayOption:
		e.opts.lowDelay = value != 0
	case transport.KeepAliveOption:
		e.opts.keepAlive = value != 0
		e.keepAliveLocked()
	case transport.TypeOfServiceOption:
		e.opts.tos = value
	case transport.SendBufferSizeSocketOption, transport.ReceiveBufferSizeSocketOption:
		if value <= 0 {
			return &transport.Error{Code: transport.UnsupportedSocketOperationError, Op: "setsockopt", Addr: e.local.String()}
		}
		if opt == transport.SendBufferSizeSocketOption {
			e.opts.sndbuf = value
		} else {
			e.opts.rcvbuf = value
		}
		e.out.resizeLocked()
		e.in.resizeLocked()
	default:
		return &transport.Error{Code: transport.UnsupportedSocketOperationError, Op: "setsockopt", Addr: e.local.String()}
	}
	return nil
}

// Option returns one of Qt's socket options; PathMtuSocketOption is the
// MTU of the interface the stream leaves by.
func (e *Conn) Option(opt transport.SocketOption) (int, error) {
	c := e.c
	c.mu.Lock()
	defer c.mu.Unlock()
	switch opt {
	case transport.LowDelayOption:
		return boolInt(e.opts.lowDelay), nil
	case transport.KeepAliveOption:
		return boolInt(e.opts.keepAlive), nil
	case transport.TypeOfServiceOption:
		return e.opts.tos, nil
	case transport.SendBufferSizeSocketOption:
		return e.opts.sndbuf, nil
	case transport.ReceiveBufferSizeSocketOption:
		return e.opts.rcvbuf, nil
	case transport.PathMtuSocketOption:
		if ifc := e.host.ifaceFor(e.local.Addr()); ifc != nil {
			return ifc.MTU, nil
		}
		return DefaultMTU, nil
	}
	return 0, &transport.Error{Code: transport.UnsupportedSocketOperationError, Op: "getsockopt", Addr: e.local.String()}
}

// resizeLocked recomputes the window from the ends' buffer sizes and wakes
// a writer if it opened.
func (p *pipe) resizeLocked() {
	p.limit = p.src.opts.sndbuf + p.dst.opts.rcvbuf
	wakeOne(p.writable)
}

// applyDial sets the options a dial asks for.
func (o *streamOpts) applyDial(d transport.DialOptions) {
	if d.SendBuf > 0 {
		o.sndbuf = d.SendBuf
	}
	if d.RecvBuf > 0 {
		o.rcvbuf = d.RecvBuf
	}
	o.lowDelay = d.NoDelay
	o.keepAlive = d.KeepAlive >= 0 // 0 is the default: on, as in package net
	o.keepAlivePeriod = max(d.KeepAlive, 0)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
