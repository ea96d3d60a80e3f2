package mem

import (
	"context"
	"net/netip"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// A Close (or Abort) while a large Read copies outside the lock must not
// hand the bytes under that copy back to the writer: under -race this test
// caught the writer overwriting them (found by tcp's net.Conn view tests).
func TestCloseDuringLargeReadCopy(t *testing.T) {
	_, a, b := twoHosts(t)
	ln := listen(t, b, transport.ListenOptions{})
	ctx := context.Background()
	for i := range 200 {
		c, err := a.Dial(ctx, netip.AddrPortFrom(addrB, 80), transport.DialOptions{})
		require.NoError(t, err)
		s, err := ln.AcceptStream(ctx)
		require.NoError(t, err)
		var wg sync.WaitGroup
		wg.Go(func() {
			buf := make([]byte, 64<<10)
			for {
				if _, err := c.Write(buf); err != nil {
					return
				}
			}
		})
		wg.Go(func() {
			buf := make([]byte, 64<<10)
			for j := 0; ; j++ {
				if _, err := s.Read(buf); err != nil {
					return
				}
				if j == i%7 {
					go func() {
						if i%2 == 0 {
							_ = s.Close()
						} else {
							_ = s.Abort()
						}
					}()
				}
			}
		})
		wg.Wait()
		_ = c.Close()
		_ = s.Close()
	}
}
