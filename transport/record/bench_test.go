package record

import (
	"context"
	"io"
	"net/netip"
	"testing"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// BenchmarkStream measures what recording costs a stream: 4 KiB chunks
// written and read back by an echoing peer over the in-memory network,
// directly and through a Recorder (which keeps a copy of every chunk).
func BenchmarkStream(b *testing.B) {
	for _, tc := range []struct {
		name string
		wrap func(transport.Transport) transport.Transport
	}{
		{"direct", func(t transport.Transport) transport.Transport { return t }},
		{"recorded", func(t transport.Transport) transport.Transport { return New(t) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			n := mem.New()
			h := n.MustAddHost("h", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
			ln, err := h.Listen(ctx, netip.MustParseAddrPort("10.0.0.1:7"), transport.ListenOptions{})
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			done := make(chan struct{})
			go func() {
				defer close(done)
				s, err := ln.AcceptStream(ctx)
				if err != nil {
					return
				}
				defer s.Close()
				_, _ = io.Copy(s, s)
			}()
			c, err := tc.wrap(h).Dial(ctx, ln.AddrPort(), transport.DialOptions{})
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 4096)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Write(buf); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					b.Fatal(err)
				}
			}
			_ = c.Close()
			<-done
		})
	}
}
