package peer

import (
	"bufio"
	"context"
	"net"
	"net/netip"
	"sync"
	"testing"

	"github.com/slotnet/slotnet/transport"
)

// exchanges is the length of the benchmarked conversation.
const exchanges = 1000

// iterTB is b with cleanups run at the end of each iteration instead of
// piling up until the end of the benchmark.
type iterTB struct {
	testing.TB
	mu  sync.Mutex // guards fns
	fns []func()
}

func (tb *iterTB) Cleanup(fn func()) {
	tb.mu.Lock()
	tb.fns = append(tb.fns, fn)
	tb.mu.Unlock()
}

func (tb *iterTB) runCleanups() {
	tb.mu.Lock()
	fns := tb.fns
	tb.fns = nil
	tb.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// chatClient is the code under test: exchanges round trips of
// "hello\n" → "HELLO\n", then close.
func chatClient(b *testing.B, c net.Conn) {
	r := bufio.NewReader(c)
	for range exchanges {
		if _, err := c.Write([]byte("hello\n")); err != nil {
			b.Fatal(err)
		}
		if line, err := r.ReadString('\n'); err != nil || line != "HELLO\n" {
			b.Fatalf("%q %v", line, err)
		}
	}
	_ = c.Close()
}

// benchConversation runs the client against serve on a fresh mem
// connection per iteration.
func benchConversation(b *testing.B, serve func(tb *iterTB, ln transport.Listener) (wait func())) {
	_, ch, sh := memHosts(b)
	ln := memListen(b, sh)
	tb := &iterTB{TB: b}
	b.ReportAllocs()
	for b.Loop() {
		wait := serve(tb, ln)
		c, err := ch.Dial(context.Background(), netip.AddrPortFrom(serverAddr, 7), transport.DialOptions{})
		if err != nil {
			b.Fatal(err)
		}
		chatClient(b, c)
		wait()
		tb.runCleanups()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/exchanges, "ns/exchange")
}

// BenchmarkConversation: 1,000 line exchanges with a scripted peer against
// the same exchanges with a hand-written peer, over a fault-free mem stream.
// The scripted time includes building the 2,001-step script.
func BenchmarkConversation(b *testing.B) {
	b.Run("scripted", func(b *testing.B) {
		benchConversation(b, func(tb *iterTB, ln transport.Listener) func() {
			s := NewStream(tb)
			for range exchanges {
				s.ExpectLine("hello").SendString("HELLO\n")
			}
			s.ExpectEOF()
			s.Accept(ln)
			return func() {
				<-s.Done()
				if err := s.Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("handwritten", func(b *testing.B) {
		benchConversation(b, func(_ *iterTB, ln transport.Listener) func() {
			done := make(chan error, 1)
			go func() { done <- handPeer(ln) }()
			return func() {
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// handPeer is the hand-written server the script replaces: accept, check
// each line, answer it, expect EOF, close.
func handPeer(ln transport.Listener) error {
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for range exchanges {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if line != "hello\n" {
			return &StepError{Desc: "line", Msg: line, Diff: -1}
		}
		if _, err := c.Write([]byte("HELLO\n")); err != nil {
			return err
		}
	}
	if _, err := r.ReadByte(); err == nil {
		return &StepError{Desc: "EOF", Msg: "more bytes", Diff: -1}
	}
	return nil
}
