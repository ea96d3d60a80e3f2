package record

import (
	"errors"
	"io"
	"slices"
	"sync"
	"syscall"

	"github.com/slotnet/slotnet/transport"
)

// stream records one dialed connection as the client sees it.
type stream struct {
	transport.Stream
	r  *Recorder
	id int

	mu         sync.Mutex // guards the two flags; held while their event is added
	serverDone bool       // the server's FIN or reset is recorded
	clientDone bool       // the client's Close or Abort is recorded
}

// Write records the bytes, then sends them; the event keeps only what was
// sent. Recording first keeps the order right when another goroutine reads
// the answer before Write returns.
func (s *stream) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return s.Stream.Write(b)
	}
	i := s.r.add(Event{Kind: Send, ID: s.id, Side: Client, Data: slices.Clone(b)})
	n, err := s.Stream.Write(b)
	if n < len(b) {
		s.r.sent(i, n)
	}
	if err != nil {
		s.ended(err)
	}
	return n, err
}

// Read records what the server sent once the client has it, and how the
// server closed.
func (s *stream) Read(b []byte) (int, error) {
	n, err := s.Stream.Read(b)
	if n > 0 {
		s.r.add(Event{Kind: Send, ID: s.id, Side: Server, Data: slices.Clone(b[:n])})
	}
	if err != nil {
		s.ended(err)
	}
	return n, err
}

// ended records the server's FIN (io.EOF) or reset (ECONNRESET), once.
func (s *stream) ended(err error) {
	kind := Fin
	switch {
	case err == io.EOF:
	case errors.Is(err, syscall.ECONNRESET):
		kind = Reset
	default:
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.serverDone {
		s.serverDone = true
		s.r.add(Event{Kind: kind, ID: s.id, Side: Server})
	}
}

// client records the client's own close of the given kind.
func (s *stream) client(kind Kind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.clientDone {
		return
	}
	s.clientDone = kind != Fin
	s.r.add(Event{Kind: kind, ID: s.id, Side: Client})
}

// CloseWrite records the client's FIN and sends it.
func (s *stream) CloseWrite() error {
	s.client(Fin)
	return s.Stream.CloseWrite()
}

// Close records the client's close and closes.
func (s *stream) Close() error {
	s.client(Close)
	return s.Stream.Close()
}

// Abort records the client's reset and resets the connection.
func (s *stream) Abort() error {
	s.client(Reset)
	return s.Stream.Abort()
}
