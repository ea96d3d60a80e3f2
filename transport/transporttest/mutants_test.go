package transporttest_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// A mutant is a deliberately broken variant of a real transport, and the
// check of the suite that must catch it.
type mutant struct {
	name     string
	caughtBy string // the check's path below TestAll, e.g. "Errors/Refused"
	stream   func(transport.Stream) transport.Stream
	datagram func(transport.Datagram) transport.Datagram
	dialErr  func(error) error
}

var mutants = []mutant{
	{name: "IgnoresExpiredDeadline", caughtBy: "Deadlines/PastReadWithData",
		stream: func(s transport.Stream) transport.Stream { return ignoreExpired{s} }},
	{name: "CloseWriteClosesBoth", caughtBy: "HalfClose/RequestResponse",
		stream: func(s transport.Stream) transport.Stream { return closeWriteBoth{s} }},
	{name: "WrapsEOF", caughtBy: "HalfClose/EOFRepeats",
		stream: func(s transport.Stream) transport.Stream { return wrapsEOF{s} }},
	{name: "LockedReadWrite", caughtBy: "Streams/ConcurrentReadWrite",
		stream: func(s transport.Stream) transport.Stream { return &lockedIO{Stream: s} }},
	{name: "DatagramWrongSize", caughtBy: "Datagrams/Boundaries",
		datagram: func(d transport.Datagram) transport.Datagram { return wrongSize{d} }},
	{name: "RefusedAsNetworkError", caughtBy: "Errors/Refused", dialErr: refusedAsNetwork},
}

func mutantNamed(name string) (mutant, bool) {
	for _, m := range mutants {
		if m.name == name {
			return m, true
		}
	}
	return mutant{}, false
}

// ignoreExpired drops every deadline that has already passed, so an
// operation that should fail at once blocks or succeeds instead.
type ignoreExpired struct{ transport.Stream }

func expired(t time.Time) bool { return !t.IsZero() && !t.After(time.Now()) }

func (s ignoreExpired) SetDeadline(t time.Time) error {
	if expired(t) {
		return nil
	}
	return s.Stream.SetDeadline(t)
}

func (s ignoreExpired) SetReadDeadline(t time.Time) error {
	if expired(t) {
		return nil
	}
	return s.Stream.SetReadDeadline(t)
}

func (s ignoreExpired) SetWriteDeadline(t time.Time) error {
	if expired(t) {
		return nil
	}
	return s.Stream.SetWriteDeadline(t)
}

// closeWriteBoth half-closes by closing both directions.
type closeWriteBoth struct{ transport.Stream }

func (s closeWriteBoth) CloseWrite() error { return s.Stream.Close() }

// wrapsEOF decorates the end of the stream, so err == io.EOF fails.
type wrapsEOF struct{ transport.Stream }

func (s wrapsEOF) Read(b []byte) (int, error) {
	n, err := s.Stream.Read(b)
	if err == io.EOF {
		err = fmt.Errorf("mutant read: %w", io.EOF)
	}
	return n, err
}

// lockedIO serializes Read and Write under one mutex held while they wait.
type lockedIO struct {
	transport.Stream
	mu sync.Mutex // guards nothing useful: held across the wrapped Read and Write
}

func (s *lockedIO) Read(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Stream.Read(b)
}

func (s *lockedIO) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Stream.Write(b)
}

// wrongSize reports a received datagram as filling the whole buffer.
type wrongSize struct{ transport.Datagram }

func (d wrongSize) ReadDatagram(b []byte) (int, transport.DatagramMeta, error) {
	_, meta, err := d.Datagram.ReadDatagram(b)
	if err != nil {
		return 0, meta, err
	}
	return len(b), meta, nil
}

// refusedAsNetwork misclassifies a refused dial as a NetworkError.
func refusedAsNetwork(err error) error {
	if transport.CodeOf(err) == transport.ConnectionRefusedError {
		return &transport.Error{Code: transport.NetworkError, Op: "dial", Err: err}
	}
	return err
}

// mutantTransport applies a mutant to everything a transport hands out.
type mutantTransport struct {
	transport.Transport
	m mutant
}

func (t mutantTransport) wrap(s transport.Stream) transport.Stream {
	if t.m.stream == nil {
		return s
	}
	return t.m.stream(s)
}

func (t mutantTransport) Dial(ctx context.Context, remote netip.AddrPort, opts transport.DialOptions) (transport.Stream, error) {
	s, err := t.Transport.Dial(ctx, remote, opts)
	if err != nil {
		if t.m.dialErr != nil {
			err = t.m.dialErr(err)
		}
		return nil, err
	}
	return t.wrap(s), nil
}

func (t mutantTransport) Listen(ctx context.Context, local netip.AddrPort, opts transport.ListenOptions) (transport.Listener, error) {
	ln, err := t.Transport.Listen(ctx, local, opts)
	if err != nil {
		return nil, err
	}
	return mutantListener{ln, t}, nil
}

func (t mutantTransport) BindDatagram(ctx context.Context, local netip.AddrPort, opts transport.BindOptions) (transport.Datagram, error) {
	d, err := t.Transport.BindDatagram(ctx, local, opts)
	if err != nil || t.m.datagram == nil {
		return d, err
	}
	return t.m.datagram(d), nil
}

type mutantListener struct {
	transport.Listener
	t mutantTransport
}

func (l mutantListener) AcceptStream(ctx context.Context) (transport.Stream, error) {
	s, err := l.Listener.AcceptStream(ctx)
	if err != nil {
		return nil, err
	}
	return l.t.wrap(s), nil
}

func (l mutantListener) Accept() (net.Conn, error) {
	return l.AcceptStream(context.Background())
}
