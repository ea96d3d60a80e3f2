// Package remotetest runs an embedded nats-server for tests and examples of
// package remote: no listener (DontListen), clients connected in process,
// JetStream in a temporary directory, restartable mid-test; and a bridge
// that serves it on slotnet's in-memory network, so that a client dialing
// through remote.Dialer meets that network's faults.
package remotetest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Server is an embedded nats-server that can be restarted with the same
// options and JetStream store. It is a nats.InProcessConnProvider: clients
// made with nats.InProcessServer(s) reconnect to the restarted server.
type Server struct {
	opts server.Options
	dir  string

	mu  sync.Mutex // guards srv
	srv *server.Server
}

// Start starts an embedded server with JetStream, no listener and no
// logging. Close it with Shutdown.
func Start() (*Server, error) {
	dir, err := os.MkdirTemp("", "slotnet-nats-*")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, opts: server.Options{
		ServerName: "slotnet-test", DontListen: true, JetStream: true, StoreDir: dir,
		NoLog: true, NoSigs: true, MaxPayload: 1 << 20,
	}}
	if err := s.start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func (s *Server) start() error {
	opts := s.opts // the server keeps and changes its options
	srv, err := server.NewServer(&opts)
	if err != nil {
		return err
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		srv.WaitForShutdown()
		return errors.New("remotetest: nats-server not ready after 10s")
	}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	return nil
}

// InProcessConn connects a client to the running server; while it is down
// (between Stop and Start of a Restart) it fails, and clients retry.
func (s *Server) InProcessConn() (net.Conn, error) {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil, errors.New("remotetest: server is down")
	}
	return srv.InProcessConn()
}

// Connect returns a client connected in process that reconnects forever,
// every 5ms, and keeps messages published while disconnected in its
// reconnect buffer (nats.go's default, 8 MiB). opts come last and win.
func (s *Server) Connect(name string, opts ...nats.Option) (*nats.Conn, error) {
	base := []nats.Option{
		nats.Name(name), nats.InProcessServer(s), nats.MaxReconnects(-1),
		nats.ReconnectWait(5 * time.Millisecond), nats.ReconnectJitter(0, 0),
		nats.NoCallbacksAfterClientClose(),
	}
	return nats.Connect("", append(base, opts...)...)
}

// Stop shuts the server down and waits until it is gone.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
	}
}

// Restart stops the server and starts a new one with the same options and
// JetStream store: clients reconnect, durable streams survive.
func (s *Server) Restart() error {
	s.Stop()
	if err := s.start(); err != nil {
		return fmt.Errorf("remotetest: restart: %w", err)
	}
	return nil
}

// Shutdown stops the server for good and removes its store.
func (s *Server) Shutdown() {
	s.Stop()
	_ = os.RemoveAll(s.dir)
}
