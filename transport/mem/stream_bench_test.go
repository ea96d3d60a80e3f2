package mem

import (
	"io"
	"net"
	"testing"
)

// benchPair returns a connected pair of each kind the benchmarks compare.
func benchPair(b *testing.B, kind string) (w, r net.Conn) {
	b.Helper()
	switch kind {
	case "mem":
		_, ha, hb := twoHosts(b)
		c, s := pair(b, ha, hb)
		return c, s
	case "pipe":
		c, s := net.Pipe()
		b.Cleanup(func() { _ = c.Close(); _ = s.Close() })
		return c, s
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Skip("no loopback TCP:", err)
	}
	defer func() { _ = ln.Close() }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	s, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close(); _ = s.Close() })
	return c, s
}

var benchKinds = []string{"mem", "pipe", "tcp"}

// BenchmarkStreamThroughput writes 64 KiB chunks one way.
func BenchmarkStreamThroughput(b *testing.B) {
	for _, kind := range benchKinds {
		b.Run(kind, func(b *testing.B) {
			w, r := benchPair(b, kind)
			buf := make([]byte, 64<<10)
			done := make(chan struct{})
			go func() {
				defer close(done)
				rb := make([]byte, 64<<10)
				want := int64(b.N) * int64(len(buf))
				for got := int64(0); got < want; {
					n, err := r.Read(rb)
					if err != nil {
						return
					}
					got += int64(n)
				}
			}()
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := w.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
			<-done
		})
	}
}

// BenchmarkStreamRoundTrip bounces 64 bytes back and forth.
func BenchmarkStreamRoundTrip(b *testing.B) {
	for _, kind := range benchKinds {
		b.Run(kind, func(b *testing.B) {
			c, s := benchPair(b, kind)
			done := make(chan struct{})
			go func() {
				defer close(done)
				buf := make([]byte, 64)
				for {
					if _, err := io.ReadFull(s, buf); err != nil {
						return
					}
					if _, err := s.Write(buf); err != nil {
						return
					}
				}
			}()
			buf := make([]byte, 64)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := c.Write(buf); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			_ = c.Close()
			<-done
		})
	}
}

// TestFastPathAllocFree: once warmed up, a fault-free Write and Read
// allocate nothing.
func TestFastPathAllocFree(t *testing.T) {
	_, ha, hb := twoHosts(t)
	c, s := pair(t, ha, hb)
	small, big := make([]byte, 64), make([]byte, 64<<10)
	rb := make([]byte, 64<<10)
	roundTrip := func() {
		for _, b := range [][]byte{small, big} {
			if _, err := c.Write(b); err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(s, rb[:len(b)]); err != nil {
				t.Fatal(err)
			}
		}
	}
	roundTrip()
	if allocs := testing.AllocsPerRun(100, roundTrip); allocs != 0 {
		t.Errorf("%v allocations per write and read, want 0", allocs)
	}
}
