package remotetest

import (
	"errors"
	"io"
	"net"
	"sync"
)

// Bridge serves the embedded server on a listener of any transport (the
// in-memory network's, typically): each accepted stream is connected to
// the server in process and bytes are copied both ways, so the stream's
// faults (partition, latency, reset) are between the client and the server.
type Bridge struct {
	ln  net.Listener
	srv *Server
	wg  sync.WaitGroup

	mu     sync.Mutex // guards conns and closed
	conns  map[net.Conn]struct{}
	closed bool
}

// Serve starts serving s on ln; Close stops it.
func (s *Server) Serve(ln net.Listener) *Bridge {
	b := &Bridge{ln: ln, srv: s, conns: map[net.Conn]struct{}{}}
	b.wg.Add(1)
	go b.accept()
	return b
}

func (b *Bridge) accept() {
	defer b.wg.Done()
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		sc, err := b.srv.InProcessConn()
		if err != nil || !b.track(c, sc) {
			_ = c.Close()
			continue
		}
		b.wg.Add(2)
		go b.pipe(c, sc)
		go b.pipe(sc, c)
	}
}

// track registers a bridged pair unless the bridge is closed.
func (b *Bridge) track(c ...net.Conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		for _, x := range c {
			_ = x.Close()
		}
		return false
	}
	for _, x := range c {
		b.conns[x] = struct{}{}
	}
	return true
}

// pipe copies src to dst; when either side ends, both close.
func (b *Bridge) pipe(dst, src net.Conn) {
	defer b.wg.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
	b.mu.Lock()
	delete(b.conns, dst)
	delete(b.conns, src)
	b.mu.Unlock()
}

// Close stops accepting, closes every bridged stream and waits for the
// copies to end.
func (b *Bridge) Close() error {
	err := b.ln.Close()
	b.mu.Lock()
	b.closed = true
	for c := range b.conns {
		_ = c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
