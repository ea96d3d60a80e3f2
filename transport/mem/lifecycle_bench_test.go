package mem

import (
	"context"
	"testing"

	"github.com/slotnet/slotnet/transport"
)

// BenchmarkDial measures the dial path that lifecycle hygiene touches: one
// dial, its accept and both closes over a fault-free link. "plain" is a
// network without creation sites; "sites" records where each socket was
// created (WithCreationSites), as memtest.New does.
func BenchmarkDial(b *testing.B) {
	for _, mode := range []string{"plain", "sites"} {
		b.Run(mode, func(b *testing.B) {
			var opts []Option
			if mode == "sites" {
				opts = []Option{WithCreationSites(true)}
			}
			_, ha, hb := twoHosts(b, opts...)
			ln := listen(b, hb, transport.ListenOptions{})
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				c, err := ha.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
				if err != nil {
					b.Fatal(err)
				}
				s, err := ln.AcceptStream(ctx)
				if err != nil {
					b.Fatal(err)
				}
				_ = c.Close()
				_ = s.Close()
			}
		})
	}
}
