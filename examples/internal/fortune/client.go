package fortune

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// ErrNoFortune is returned when the server closed the connection before a
// whole fortune arrived.
var ErrNoFortune = errors.New("fortune: the server closed the connection before sending a whole fortune")

// Request is Qt's fortune client, event-driven on loop l, where it must be
// called: it connects to host and port, reads one fortune framed as f on
// ReadyRead, and calls done on l, exactly once, with the fortune or the
// error. The returned cancel, called on l, ends the request (done gets
// err) if it has not ended yet. opts are the socket's (the transport,
// say); socket.WithLoop is added.
func Request(l *core.Loop, host string, port int, f Framing, done func(string, error), opts ...socket.Option) (cancel func(error), err error) {
	return RequestWatched(l, host, port, f, nil, done, opts...)
}

// RequestWatched is Request with a hook: watch, when not nil, is called
// on l with the client's socket before it connects, so a caller can
// connect to its signals (examples/demo traces them) before the first is
// emitted. The request's own slots are connected after watch's.
func RequestWatched(l *core.Loop, host string, port int, f Framing, watch func(*tcp.Socket), done func(string, error), opts ...socket.Option) (cancel func(error), err error) {
	sock, err := tcp.NewSocket(append(opts, socket.WithLoop(l))...)
	if err != nil {
		return nil, err
	}
	if watch != nil {
		watch(sock)
	}
	finished := false
	finish := func(fortune string, err error) {
		if finished {
			return
		}
		finished = true
		_ = sock.Abort()
		sock.DeleteLater()
		done(fortune, err)
	}
	r := NewReader(f, sock)
	_, _ = sock.ReadyRead.Connect(func() {
		fortune, ok, err := r.Next()
		if ok || err != nil {
			finish(fortune, err)
		}
	})
	_, _ = sock.ErrorOccurred.Connect(func(code transport.SocketError) {
		// ReadyRead came first for the last bytes: a fortune would have
		// finished the request already.
		if code == transport.RemoteHostClosedError {
			finish("", ErrNoFortune)
			return
		}
		finish("", fmt.Errorf("fortune: %s", sock.ErrorString()))
	})
	if err := sock.ConnectToHost(host, port); err != nil {
		sock.Destroy()
		return nil, err
	}
	return func(err error) { finish("", err) }, nil
}

// Fetch runs Request on loop l from another goroutine and waits for its
// fortune, or for ctx to end.
func Fetch(ctx context.Context, l *core.Loop, host string, port int, f Framing, opts ...socket.Option) (string, error) {
	type result struct {
		fortune string
		err     error
	}
	res := make(chan result, 1)
	var cancel func(error)
	var err error
	if ierr := l.Invoke(func() {
		cancel, err = Request(l, host, port, f, func(s string, err error) { res <- result{s, err} }, opts...)
	}); ierr != nil {
		return "", ierr
	}
	if err != nil {
		return "", err
	}
	select {
	case r := <-res:
		return r.fortune, r.err
	case <-ctx.Done():
		if err := l.Invoke(func() { cancel(ctx.Err()) }); err != nil {
			return "", err
		}
		r := <-res // cancel has delivered one, unless the fortune came first
		return r.fortune, r.err
	}
}

// FetchBlocking is Qt's blocking fortune client: no loop; the calling
// goroutine drives the socket with WaitForConnected and WaitForReadyRead,
// each bounded by timeout. opts are the socket's (the transport, say).
func FetchBlocking(host string, port int, f Framing, timeout time.Duration, opts ...socket.Option) (string, error) {
	sock, err := tcp.NewSocket(opts...)
	if err != nil {
		return "", err
	}
	defer sock.Destroy()
	if err := sock.ConnectToHost(host, port); err != nil {
		return "", err
	}
	if err := sock.WaitForConnected(timeout); err != nil {
		return "", fmt.Errorf("fortune: %s", sock.ErrorString())
	}
	r := NewReader(f, sock)
	for {
		fortune, ok, err := r.Next()
		if ok || err != nil {
			return fortune, err
		}
		if err := sock.WaitForReadyRead(timeout); err != nil {
			if fortune, ok, _ := r.Next(); ok { // it came with the close
				return fortune, nil
			}
			if sock.Error() == transport.RemoteHostClosedError {
				return "", ErrNoFortune
			}
			return "", fmt.Errorf("fortune: %s", sock.ErrorString())
		}
	}
}
