package faultproxy

import (
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
)

// benchChunk is one benchmark operation: an upload of this many bytes that
// the server acknowledges with one byte.
const benchChunk = 1 << 20

// sink reads benchChunk bytes at a time and answers each with one byte.
func sink(c net.Conn) {
	buf := make([]byte, benchChunk)
	for {
		if _, err := io.ReadFull(c, buf); err != nil {
			return
		}
		if _, err := c.Write([]byte{1}); err != nil {
			return
		}
	}
}

// BenchmarkThroughput compares a 1 MiB upload (acknowledged end to end)
// over loopback directly and through a fault-free proxy.
func BenchmarkThroughput(b *testing.B) {
	server := serve(b, sink)
	run := func(b *testing.B, addr string) {
		c, err := net.Dial("tcp", addr)
		require.NoError(b, err)
		defer c.Close()
		data, ack := make([]byte, benchChunk), make([]byte, 1)
		b.SetBytes(benchChunk)
		b.ResetTimer()
		for b.Loop() {
			if _, err := c.Write(data); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(c, ack); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("direct", func(b *testing.B) { run(b, server) })
	b.Run("proxy", func(b *testing.B) { run(b, newProxy(b, server).Addr()) })
}
