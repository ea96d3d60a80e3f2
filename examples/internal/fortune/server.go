package fortune

import (
	"errors"
	"math/rand/v2"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// Config is a fortune server's configuration.
type Config struct {
	// Framing is how fortunes are framed (Qt57 by default).
	Framing Framing
	// Fortunes to choose from; nil means the package's Fortunes.
	Fortunes []string
	// Pick chooses the index of the next fortune among n; nil chooses at
	// random, as Qt's server does. It runs on the loop of the connection:
	// ServeThreaded calls it from several loops at once.
	Pick func(n int) int
	// Served, when set, is called with each fortune sent and the socket
	// it went to, on that socket's loop (like Pick, from several loops at
	// once under ServeThreaded).
	Served func(fortune string, to *tcp.Socket)
	// WatchServer, when set, is called on the server's loop with the
	// tcp.Server before the fortune server connects its own slots to it
	// and listens: a hook to observe its signals (examples/demo traces
	// them).
	WatchServer func(*tcp.Server)
	// Accepted, when set, is called with each connection's socket on its
	// loop before the fortune is written to it.
	Accepted func(*tcp.Socket)
}

// server is what every connection of one server shares: the frames,
// encoded once.
type server struct {
	cfg    Config
	frames [][]byte
}

func newServer(cfg Config) (*server, error) {
	if cfg.Fortunes == nil {
		cfg.Fortunes = Fortunes
	}
	if len(cfg.Fortunes) == 0 {
		return nil, errors.New("fortune: no fortunes to serve")
	}
	if cfg.Pick == nil {
		cfg.Pick = rand.IntN
	}
	s := &server{cfg: cfg}
	for _, f := range cfg.Fortunes {
		b, err := Frame(cfg.Framing, f)
		if err != nil {
			return nil, err
		}
		s.frames = append(s.frames, b)
	}
	return s, nil
}

// serve is Qt's sendFortune: write one fortune, disconnect once it is
// sent, and delete the socket when it has disconnected. It runs on c's
// loop.
func (s *server) serve(c *tcp.Socket) {
	i := s.cfg.Pick(len(s.frames))
	if i < 0 || i >= len(s.frames) {
		i = 0
	}
	if s.cfg.Accepted != nil {
		s.cfg.Accepted(c)
	}
	_, _ = c.Disconnected.Connect(c.DeleteLater)
	if _, err := c.Write(s.frames[i]); err != nil {
		_ = c.Abort()
		c.DeleteLater()
		return
	}
	if s.cfg.Served != nil {
		s.cfg.Served(s.cfg.Fortunes[i], c)
	}
	_ = c.DisconnectFromHost()
}

// Serve starts Qt's fortune server on loop l: it listens on addr and port
// (0 picks a free port: ServerPort says which) and answers each connection
// on l. Call it on l or from any goroutine while l runs; call Destroy on
// the server, on l, to stop it. opts are the tcp.Server's (the transport,
// say); socket.WithLoop is added.
func Serve(l *core.Loop, addr transport.HostAddress, port int, cfg Config, opts ...socket.Option) (*tcp.Server, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	return listen(l, addr, port, opts, func(srv *tcp.Server) error {
		if cfg.WatchServer != nil {
			cfg.WatchServer(srv)
		}
		_, err := srv.NewConnection.Connect(func() {
			for srv.HasPendingConnections() {
				s.serve(srv.NextPendingConnection())
			}
		})
		return err
	})
}

// ServeThreaded is Qt's threaded fortune server: the server accepts on l
// and hands each connection to one of workers in turn (tcp.LoopPool), where
// it is answered. Cfg.Served runs on the worker's loop.
func ServeThreaded(l *core.Loop, workers []*core.Loop, addr transport.HostAddress, port int, cfg Config, opts ...socket.Option) (*tcp.Server, error) {
	if len(workers) == 0 {
		return nil, errors.New("fortune: no worker loops")
	}
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	return listen(l, addr, port, opts, func(srv *tcp.Server) error {
		if cfg.WatchServer != nil {
			cfg.WatchServer(srv)
		}
		return srv.SetIncomingConnection(tcp.LoopPool(workers, s.serve))
	})
}

// listen makes a server on l, lets setup wire it, and listens.
func listen(l *core.Loop, addr transport.HostAddress, port int, opts []socket.Option, setup func(*tcp.Server) error) (*tcp.Server, error) {
	var srv *tcp.Server
	var err error
	if ierr := l.Invoke(func() {
		srv, err = tcp.NewServer(append(opts, socket.WithLoop(l))...)
		if err != nil {
			return
		}
		if err = setup(srv); err == nil {
			err = srv.Listen(addr, port)
		}
		if err != nil {
			srv.Destroy()
			srv = nil
		}
	}); ierr != nil {
		return nil, ierr
	}
	return srv, err
}
