package socket

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/slotnet/slotnet/transport"
)

// ConnectTimeout bounds each address's connection attempt, as Qt's 30 s;
// when it passes, the next address is tried.
const ConnectTimeout = 30 * time.Second

// attempt is one ConnectToHost: the lookup, then one dial per address until
// one connects. Its goroutine hands the result over under mu, so a result
// that arrives after the attempt was cancelled is closed, never leaked.
type attempt struct {
	ctx    context.Context
	cancel context.CancelFunc
	port   uint16
	addrs  []netip.Addr
	next   int

	mu      sync.Mutex
	stopped bool
	stream  transport.Stream // a dial's result not yet taken
	wg      sync.WaitGroup
	lastErr error
}

// stop cancels the attempt, closes a result nobody took and waits for its
// goroutine.
func (a *attempt) stop() {
	a.cancel()
	a.mu.Lock()
	a.stopped = true
	st := a.stream
	a.stream = nil
	a.mu.Unlock()
	if st != nil {
		_ = st.Abort()
	}
	a.wg.Wait()
}

// ConnectToHost connects to host (a name or an address literal) on port,
// opening the device ReadWrite — Qt's connectToHost. It returns at once: the
// state becomes HostLookupState, then ConnectingState (HostFound), then
// ConnectedState (Connected), or UnconnectedState with ErrorOccurred. A
// name is looked up first and each of its addresses tried in turn. Data
// written before the connection is established is sent once it is.
//
// The returned error reports what is refused at once (a call in the wrong
// state, a port out of range); a failure later is reported by
// ErrorOccurred, Error and ErrorString.
func (e *Engine) ConnectToHost(host string, port int) error {
	return e.ConnectToHostMode(host, port, ReadWrite)
}

// ConnectToHostMode is ConnectToHost with the open mode to use.
func (e *Engine) ConnectToHostMode(host string, port int, mode OpenMode) error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	switch e.State() {
	case HostLookupState, ConnectingState, ConnectedState, ClosingState, ListeningState:
		return e.failText(transport.OperationError, "connect", textInProgress)
	}
	if port < 0 || port > 65535 {
		return e.failText(transport.UnsupportedSocketOperationError, "connect", textInvalidPort)
	}
	if mode&ReadWrite == 0 {
		return e.refuse(transport.OperationError, "connect", "open mode must include ReadOnly or WriteOnly")
	}
	e.openMode = mode
	e.valid = true
	e.setError(transport.UnknownSocketError, "") // as Qt: a new attempt starts clean
	e.clearRead()
	e.pre.reset()
	e.pendingClose, e.closeCalled = false, false
	if e.State() != BoundState {
		e.local = netip.AddrPort{}
	}
	e.peer = netip.AddrPort{}
	e.peerName = host

	ctx, cancel := context.WithCancel(context.Background())
	a := &attempt{ctx: ctx, cancel: cancel, port: uint16(port)}
	e.attempt = a
	e.setState(HostLookupState)
	if e.attempt != a {
		return nil // a slot aborted it
	}
	if h, err := transport.ParseHostAddress(host); err == nil && !h.IsNull() {
		e.startConnecting(a, []netip.Addr{h.Addr()}, nil)
		return nil
	}
	lookup := e.cfg.Lookup
	if lookup == nil {
		lookup = e.cfg.Transport.LookupHost
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		addrs, err := lookup(ctx, host)
		e.PostEvent(func() { e.startConnecting(a, addrs, err) })
	}()
	return nil
}

// ConnectToAddress connects to an address — Qt's connectToHost with a
// QHostAddress: the peer name becomes the address's text.
func (e *Engine) ConnectToAddress(addr netip.Addr, port int) error {
	if !addr.IsValid() {
		if err := e.CheckLoop(); err != nil {
			return err
		}
		return e.failText(transport.SocketAddressNotAvailableError, "connect", textAddressNotAvail)
	}
	return e.ConnectToHost(transport.HostAddressFrom(addr).String(), port)
}

// startConnecting runs on the owner when the lookup is done.
func (e *Engine) startConnecting(a *attempt, addrs []netip.Addr, err error) {
	if e.attempt != a {
		return
	}
	if len(addrs) == 0 {
		e.endAttempt(a)
		e.setState(UnconnectedState)
		e.failText(transport.HostNotFoundError, "lookup", textHostNotFound)
		if e.debug() {
			e.log.Debug("lookup failed", zap.String("host", e.peerName), zap.Error(err))
		}
		return
	}
	a.addrs = addrs
	e.setState(ConnectingState)
	if e.attempt != a {
		return
	}
	e.HostFound.Emit()
	if e.attempt != a {
		return
	}
	e.dialNext(a)
}

func (e *Engine) dialNext(a *attempt) {
	remote := netip.AddrPortFrom(a.addrs[a.next], a.port)
	a.next++
	if e.cfg.Type == UdpSocket {
		e.connectDatagram(a, remote)
		return
	}
	opts := e.dialOptions()
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(a.ctx, ConnectTimeout)
		st, err := e.cfg.Transport.Dial(ctx, remote, opts)
		cancel()
		a.mu.Lock()
		if a.stopped {
			a.mu.Unlock()
			if st != nil {
				_ = st.Abort()
			}
			return
		}
		a.stream = st
		a.mu.Unlock()
		e.PostEvent(func() { e.dialed(a, err) })
	}()
}

func (e *Engine) dialOptions() transport.DialOptions {
	o := transport.DialOptions{Local: e.bound, KeepAlive: -1}
	if v, ok := e.options[transport.LowDelayOption]; ok {
		o.NoDelay = v != 0
	}
	if v, ok := e.options[transport.KeepAliveOption]; ok && v != 0 {
		o.KeepAlive = 0
	}
	o.SendBuf = e.options[transport.SendBufferSizeSocketOption]
	o.RecvBuf = e.options[transport.ReceiveBufferSizeSocketOption]
	return o
}

// dialed runs on the owner when one dial has finished.
func (e *Engine) dialed(a *attempt, err error) {
	a.mu.Lock()
	st := a.stream
	a.stream = nil
	a.mu.Unlock()
	if e.attempt != a {
		if st != nil {
			_ = st.Abort()
		}
		return
	}
	if err != nil {
		a.lastErr = err
		if a.next < len(a.addrs) {
			e.dialNext(a)
			return
		}
		e.endAttempt(a)
		e.pendingClose = false
		e.setState(UnconnectedState)
		e.fail(transport.CodeOf(err), "connect", err)
		return
	}
	e.endAttempt(a)
	e.attach(st)
	e.setState(ConnectedState)
	if e.State() != ConnectedState || e.link == nil {
		return
	}
	e.Connected.Emit()
	if e.pendingClose && e.State() == ConnectedState {
		e.pendingClose = false
		e.disconnect()
	}
}

// connectDatagram is a UDP socket's connection: bind if not bound, then
// fix the peer. It is immediate, as Qt's.
func (e *Engine) connectDatagram(a *attempt, remote netip.AddrPort) {
	err := error(nil)
	if e.dg == nil {
		local := e.bound
		if !local.IsValid() {
			local = netip.AddrPortFrom(netip.IPv6Unspecified(), 0)
			if remote.Addr().Unmap().Is4() {
				local = netip.AddrPortFrom(netip.IPv4Unspecified(), 0)
			}
		}
		err = e.bindDatagram(local, transport.DefaultForPlatform)
	}
	if err == nil {
		err = e.dg.d.Connect(remote)
	}
	if err != nil {
		a.lastErr = err
		if a.next < len(a.addrs) {
			e.dialNext(a)
			return
		}
		e.endAttempt(a)
		e.pendingClose = false
		e.setState(UnconnectedState)
		e.fail(transport.CodeOf(err), "connect", err)
		return
	}
	e.endAttempt(a)
	e.peer = remote
	e.local = e.dg.d.LocalAddrPort()
	e.openMode |= Unbuffered
	e.setState(ConnectedState)
	if e.State() != ConnectedState {
		return
	}
	e.Connected.Emit()
	if e.pendingClose && e.State() == ConnectedState {
		e.pendingClose = false
		e.disconnect()
	}
}

// endAttempt forgets the attempt; its goroutines are finished or finishing
// (they only post to the object).
func (e *Engine) endAttempt(a *attempt) {
	if e.attempt == a {
		e.attempt = nil
	}
	a.cancel()
}

// attach makes st the socket's connection.
func (e *Engine) attach(st transport.Stream) {
	l := newLink(st, e.rbufSize)
	l.note = e.NewNotifier(func() { e.service(l) })
	for opt, v := range e.options {
		switch opt {
		case transport.LowDelayOption, transport.KeepAliveOption, transport.SendBufferSizeSocketOption,
			transport.ReceiveBufferSizeSocketOption:
			// applied by the dial (or kept by an adopted stream)
		default:
			_ = st.SetOption(opt, v)
		}
	}
	e.link = l
	e.rbuf.recycle = l.giveBlock
	e.local = st.LocalAddrPort()
	e.peer = st.RemoteAddrPort()
	l.start()
	if e.pre.len() > 0 {
		l.moveOut(&e.pre)
		e.flush.Notify()
	}
}

// SetStream adopts a connected stream (Qt's setSocketDescriptor): the
// socket becomes ConnectedState, open in mode, with the stream's addresses.
// The socket must be unconnected.
func (e *Engine) SetStream(st transport.Stream, mode OpenMode) error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if st == nil {
		return e.refuse(transport.UnsupportedSocketOperationError, "adopt", "nil stream")
	}
	if s := e.State(); s != UnconnectedState {
		return e.refuse(transport.OperationError, "adopt", "socket is in "+s.String())
	}
	if mode&ReadWrite == 0 {
		mode = ReadWrite
	}
	e.openMode = mode
	e.valid = true
	e.clearRead()
	e.pre.reset()
	e.peerName = ""
	e.attach(st)
	e.setState(ConnectedState)
	return nil
}

// Bind binds the socket to addr and port before a connection (Qt's bind on
// a TCP socket): the state becomes BoundState, LocalAddress and LocalPort
// report the binding (port 0 picks a free port), and the next connection
// starts from it.
func (e *Engine) Bind(addr netip.Addr, port int, mode transport.BindMode) error {
	if err := e.CheckLoop(); err != nil {
		return err
	}
	if s := e.State(); s != UnconnectedState {
		if e.cfg.Type == UdpSocket {
			// Qt reports it, with its unknown error.
			return e.failText(transport.UnknownSocketError, "bind", textUnknown)
		}
		return e.refuse(transport.OperationError, "bind", "bind() called on a socket in "+s.String())
	}
	if port < 0 || port > 65535 {
		return e.failText(transport.UnsupportedSocketOperationError, "bind", textInvalidPort)
	}
	// An invalid address is every address, dual-stack: the zero address
	// to a transport ("::" would be IPv6 only).
	local := netip.AddrPortFrom(addr, uint16(port))
	if e.cfg.Type == UdpSocket {
		if err := e.bindDatagram(local, mode); err != nil {
			return e.fail(transport.CodeOf(err), "bind", err)
		}
		e.bound = e.local
		e.setState(BoundState)
		return nil
	}
	// The transport binds a stream only when it dials; a listener on the
	// same address checks now that it is available and picks the port.
	ln, err := e.cfg.Transport.Listen(context.Background(), local, transport.ListenOptions{Mode: mode})
	if err != nil {
		return e.fail(transport.CodeOf(err), "bind", err)
	}
	local = ln.AddrPort()
	_ = ln.Close()
	e.bound = local
	e.local = local
	e.valid = true
	e.setState(BoundState)
	return nil
}
