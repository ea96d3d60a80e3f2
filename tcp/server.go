package tcp

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/signal"
	"github.com/slotnet/slotnet/transport"
)

// DefaultMaxPendingConnections is Qt's default bound on accepted
// connections not yet taken with NextPendingConnection.
const DefaultMaxPendingConnections = 30

// Server is QTcpServer: it listens, accepts connections on a goroutine and
// hands them to its loop as Sockets (NewConnection), or to a handler of
// your own (SetIncomingConnection), e.g. to put each on another loop.
type Server struct {
	*core.Object

	// NewConnection is emitted once for each connection made available by
	// NextPendingConnection.
	NewConnection signal.Signal0
	// AcceptError is emitted when accepting a connection failed; the
	// server goes on listening.
	AcceptError signal.Signal[transport.SocketError]

	cfg socket.Settings
	log *zap.Logger

	ln        transport.Listener
	addr      netip.AddrPort
	errCode   transport.SocketError
	errString string
	pending   []*Socket
	incoming  func(transport.Stream)
	acc       *acceptor
}

// acceptor is the listening goroutine and what it shares with the owner.
type acceptor struct {
	ln   transport.Listener
	note *core.Notifier

	mu     sync.Mutex
	cond   sync.Cond
	queue  []transport.Stream // accepted, not yet handed to the owner
	taken  int                // handed over and not yet taken by the user
	max    int
	paused bool
	closed bool
	errs   []error
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewServer makes a server that is not listening.
func NewServer(opts ...socket.Option) (*Server, error) {
	c := settings(opts)
	obj, err := core.NewObject(c.ObjectOpts...)
	if err != nil {
		return nil, err
	}
	s := &Server{Object: obj, cfg: c, log: c.Logger.Named("server"), errCode: transport.UnknownSocketError,
		acc: &acceptor{max: DefaultMaxPendingConnections}}
	if err := obj.BindSignals(s); err != nil {
		obj.Destroy()
		return nil, err
	}
	obj.AddDestroyHook(s.stop)
	return s, nil
}

// Listen listens on addr and port (port 0 picks a free one) with the
// system's listen backlog. ServerAddress and ServerPort report the result.
// Listening twice is refused.
func (s *Server) Listen(addr transport.HostAddress, port int) error {
	if err := s.CheckLoop(); err != nil {
		return err
	}
	if s.ln != nil {
		return &transport.Error{Code: transport.OperationError, Op: "listen",
			Err: errors.New("QTcpServer::listen() called when already listening")}
	}
	if port < 0 || port > 65535 {
		return s.setError(transport.UnsupportedSocketOperationError, "Port out of range", nil)
	}
	ip := addr.Addr()
	if addr.Equal(transport.Any) || !ip.IsValid() {
		// Qt's Any is dual-stack; to a transport that is the zero address
		// ("::" would listen on IPv6 only).
		ip = netip.Addr{}
	}
	ln, err := s.cfg.Transport.Listen(context.Background(), netip.AddrPortFrom(ip, uint16(port)), transport.ListenOptions{})
	if err != nil {
		code := transport.CodeOf(err)
		text := listenErrorText(code)
		return s.setError(code, text, err)
	}
	s.ln = ln
	s.addr = ln.AddrPort()
	if addr.Equal(transport.Any) || !addr.Addr().IsValid() {
		s.addr = netip.AddrPortFrom(netip.IPv6Unspecified(), s.addr.Port())
	}
	a := s.acc
	a.mu.Lock()
	a.ln, a.closed, a.queue, a.errs = ln, false, nil, nil
	a.cond.L = &a.mu
	a.mu.Unlock()
	a.note = s.NewNotifier(s.service)
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	a.wg.Add(1)
	go a.run(ctx)
	s.log.Debug("listening", zap.Stringer("addr", s.addr))
	return nil
}

func listenErrorText(code transport.SocketError) string {
	switch code {
	case transport.AddressInUseError:
		return "The bound address is already in use"
	case transport.SocketAddressNotAvailableError:
		return "The address is not available"
	case transport.SocketAccessError:
		return "The address is protected"
	}
	return "Unknown error"
}

func (s *Server) setError(code transport.SocketError, text string, cause error) error {
	s.errCode, s.errString = code, text
	s.log.Debug("error", zap.Stringer("code", code), zap.String("text", text))
	if cause == nil {
		cause = errors.New(text)
	}
	return &transport.Error{Code: code, Op: "listen", Err: cause}
}

func (a *acceptor) run(ctx context.Context) {
	defer a.wg.Done()
	backoff := time.Duration(0)
	for {
		a.mu.Lock()
		for !a.closed && (a.paused || len(a.queue)+a.taken >= a.max) {
			a.cond.Wait()
		}
		if a.closed {
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()

		st, err := a.ln.AcceptStream(ctx)

		a.mu.Lock()
		if a.closed {
			a.mu.Unlock()
			if st != nil {
				_ = st.Abort()
			}
			return
		}
		if err != nil {
			a.errs = append(a.errs, err)
			a.mu.Unlock()
			a.note.Notify()
			// A persistent failure (out of descriptors) must not spin.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			continue
		}
		backoff = 0
		a.queue = append(a.queue, st)
		a.mu.Unlock()
		a.note.Notify()
	}
}

// service runs on the owner when connections (or accept errors) arrived.
func (s *Server) service() {
	a := s.acc
	a.mu.Lock()
	if a.paused || s.ln == nil {
		a.mu.Unlock()
		return
	}
	queue, errs := a.queue, a.errs
	a.queue, a.errs = nil, nil
	if s.incoming == nil {
		a.taken += len(queue)
	}
	a.mu.Unlock()
	for _, err := range errs {
		code := transport.CodeOf(err)
		s.errCode, s.errString = code, err.Error()
		s.AcceptError.Emit(code)
	}
	for i, st := range queue {
		if s.IsDestroyed() || s.ln == nil {
			for _, rest := range queue[i:] {
				_ = rest.Abort()
			}
			return
		}
		if s.incoming != nil {
			s.incoming(st)
			continue
		}
		c := s.cfg
		c.ObjectOpts = []core.ObjectOption{core.WithParent(s.Object)}
		sock, err := newSocket(c)
		if err == nil {
			err = sock.SetStream(st, socket.ReadWrite)
		}
		if err != nil {
			_ = st.Abort()
			a.release(1)
			s.log.Debug("accepted connection dropped", zap.Error(err))
			continue
		}
		s.pending = append(s.pending, sock)
		s.NewConnection.Emit()
	}
}

func (a *acceptor) release(n int) {
	a.mu.Lock()
	a.taken -= n
	if a.taken < 0 {
		a.taken = 0
	}
	a.cond.Signal()
	a.mu.Unlock()
}

// SetIncomingConnection makes the server hand each accepted stream to fn,
// on the server's loop, instead of making a Socket of it (Qt's
// incomingConnection override): fn owns the stream. OnLoop and LoopPool
// make such handlers. A nil fn restores the default.
func (s *Server) SetIncomingConnection(fn func(transport.Stream)) error {
	if err := s.CheckLoop(); err != nil {
		return err
	}
	s.incoming = fn
	return nil
}

// OnLoop returns an incoming-connection handler that makes a Socket on
// loop l for each accepted stream and calls ready with it there (Qt's
// threaded server: the connection lives on another loop). The socket has
// no parent: ready owns it.
func OnLoop(l *core.Loop, ready func(*Socket), opts ...socket.Option) func(transport.Stream) {
	return LoopPool([]*core.Loop{l}, ready, opts...)
}

// LoopPool is OnLoop spreading the connections over loops in turn.
func LoopPool(loops []*core.Loop, ready func(*Socket), opts ...socket.Option) func(transport.Stream) {
	next := 0
	return func(st transport.Stream) {
		if len(loops) == 0 || ready == nil {
			_ = st.Abort()
			return
		}
		l := loops[next%len(loops)]
		next++
		err := l.Post(func() {
			sock, err := NewSocket(append(append([]socket.Option(nil), opts...), socket.WithLoop(l))...)
			if err == nil {
				err = sock.SetStream(st, socket.ReadWrite)
			}
			if err != nil {
				_ = st.Abort()
				return
			}
			ready(sock)
		})
		if err != nil {
			_ = st.Abort()
		}
	}
}

// HasPendingConnections reports whether NextPendingConnection has one.
func (s *Server) HasPendingConnections() bool { return len(s.pending) > 0 }

// NextPendingConnection returns the oldest accepted connection as a
// connected Socket (a child of the server, on its loop; reparent or keep
// it), or nil when there is none.
func (s *Server) NextPendingConnection() *Socket {
	if s.CheckLoop() != nil || len(s.pending) == 0 {
		return nil
	}
	sock := s.pending[0]
	s.pending[0] = nil
	s.pending = s.pending[1:]
	s.acc.release(1)
	return sock
}

// SetMaxPendingConnections bounds the connections accepted but not yet
// taken (default 30): at the bound the server stops accepting (clients
// wait in the system's backlog) until NextPendingConnection takes one.
func (s *Server) SetMaxPendingConnections(n int) {
	if s.CheckLoop() != nil {
		return
	}
	a := s.acc
	a.mu.Lock()
	a.max = n
	a.cond.Signal()
	a.mu.Unlock()
}

// MaxPendingConnections returns the bound (default 30).
func (s *Server) MaxPendingConnections() int {
	a := s.acc
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.max
}

// PauseAccepting stops handing out new connections until ResumeAccepting;
// clients connecting meanwhile wait.
func (s *Server) PauseAccepting() {
	if s.CheckLoop() != nil {
		return
	}
	a := s.acc
	a.mu.Lock()
	a.paused = true
	a.mu.Unlock()
}

// ResumeAccepting undoes PauseAccepting: what waited is handed out.
func (s *Server) ResumeAccepting() {
	if s.CheckLoop() != nil {
		return
	}
	a := s.acc
	a.mu.Lock()
	a.paused = false
	a.cond.Signal()
	a.mu.Unlock()
	a.note.Notify()
}

// IsListening reports whether the server listens.
func (s *Server) IsListening() bool { return s.ln != nil }

// ServerAddress returns the listening address (transport.Null when not
// listening; Any for a server listening on every address).
func (s *Server) ServerAddress() transport.HostAddress {
	if s.ln == nil {
		return transport.Null
	}
	if s.addr.Addr() == netip.IPv6Unspecified() {
		return transport.Any
	}
	return transport.HostAddressFrom(s.addr.Addr())
}

// ServerPort returns the listening port (0 when not listening).
func (s *Server) ServerPort() int {
	if s.ln == nil {
		return 0
	}
	return int(s.addr.Port())
}

// ServerError returns the last error's code (UnknownSocketError before
// any).
func (s *Server) ServerError() transport.SocketError { return s.errCode }

// ErrorString returns the last error's text ("" before any, as Qt).
func (s *Server) ErrorString() string { return s.errString }

// Listener returns the transport listener (nil when not listening).
func (s *Server) Listener() transport.Listener { return s.ln }

// Close stops listening. Connections already accepted stay pending.
func (s *Server) Close() {
	if s.CheckLoop() != nil {
		return
	}
	s.stopListening()
}

func (s *Server) stopListening() {
	if s.ln == nil {
		return
	}
	a := s.acc
	a.mu.Lock()
	a.closed = true
	queue := a.queue
	a.queue = nil
	a.cond.Broadcast()
	a.mu.Unlock()
	a.cancel()
	_ = s.ln.Close()
	a.wg.Wait()
	for _, st := range queue {
		_ = st.Abort()
	}
	s.ln = nil
	s.log.Debug("closed")
}

// stop is the destroy hook.
func (s *Server) stop() { s.stopListening() }

// WaitForNewConnection waits until a connection is pending: see
// WaitForNewConnectionContext.
func (s *Server) WaitForNewConnection(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return s.WaitForNewConnectionContext(ctx)
}

// WaitForNewConnectionContext waits until a connection is pending (nil).
// Qt's timed-out flag is the error's Timeout() (errors.Is(err,
// transport.SocketTimeoutError)); a server that is not listening fails at
// once.
func (s *Server) WaitForNewConnectionContext(ctx context.Context) error {
	listening := true
	err := s.WaitUntil(ctx, func() bool {
		listening = s.ln != nil
		return !listening || len(s.pending) > 0
	})
	switch {
	case err == nil && !listening:
		return &transport.Error{Code: transport.OperationError, Op: "waitForNewConnection", Err: errors.New("not listening")}
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		// As Qt, a timeout is the server's error too.
		if e := s.Invoke(func() { s.errCode, s.errString = transport.SocketTimeoutError, "Network operation timed out" }); e != nil {
			return e
		}
		return transport.TimeoutError("waitForNewConnection", "", err)
	}
	return err
}
