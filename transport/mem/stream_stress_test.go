package mem

import (
	"context"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStreamStress runs many connections under changing faults while ends
// close, half-close, abort and time out at random. Nothing may deadlock,
// race or panic, every operation must end, and every error must be one of
// the documented ones.
func TestStreamStress(t *testing.T) {
	for round := range uint64(4) {
		synctest.Test(t, func(t *testing.T) {
			n, a, b := twoHosts(t)
			ln := listen(t, b, transport.ListenOptions{Backlog: 4})
			rng := rand.New(rand.NewPCG(n.Seed(), round))
			var wg sync.WaitGroup
			wg.Go(func() { // the server echoes until its stream ends
				for {
					s, err := ln.AcceptStream(context.Background())
					if err != nil {
						return
					}
					wg.Go(func() {
						_, _ = io.Copy(s, s)
						_ = s.Close()
					})
				}
			})
			faults := []Faults{{}, {Latency: time.Millisecond, Jitter: time.Millisecond},
				{Loss: 0.2, Segment: Segmentation{Mode: SegmentRandom, Size: 300, ShortReads: true}},
				{Bandwidth: 1 << 20}, {Partitioned: true}, {ResetAfterBytes: 5000}}
			for i := range 30 {
				n.Link(a, b).SetFaults(faults[rng.IntN(len(faults))])
				n.Link(b, a).SetFaults(faults[rng.IntN(len(faults))])
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				c, err := a.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
				cancel()
				if err != nil {
					assertDocumented(t, err)
					continue
				}
				action := rng.IntN(4)
				delay := time.Duration(rng.IntN(20)) * time.Millisecond
				wg.Go(func() {
					c.SetDeadline(time.Now().Add(time.Second))
					buf := make([]byte, 10_000+i)
					for range 3 {
						if _, err := c.Write(buf); err != nil {
							assertDocumented(t, err)
							break
						}
						if _, err := c.Read(buf); err != nil {
							assertDocumented(t, err)
							break
						}
					}
				})
				time.AfterFunc(delay, func() {
					switch action {
					case 0:
						c.Close()
					case 1:
						c.Abort()
						c.Close()
					case 2:
						c.CloseWrite()
						time.Sleep(time.Second)
						c.Close()
					case 3:
						time.Sleep(2 * time.Second)
						c.Close()
					}
				})
				n.Heal(a, b)
				time.Sleep(delay)
			}
			time.Sleep(5 * time.Second)
			require.NoError(t, ln.Close())
			n.Link(a, b).SetFaults(Faults{})
			n.Link(b, a).SetFaults(Faults{})
			time.Sleep(time.Minute)
			synctest.Wait()
			wg.Wait()
			if t.Failed() {
				t.Logf("round %d: a %+v, b %+v, link %+v", round, a.Counters(), b.Counters(), n.Link(a, b).Counters())
			}
		})
	}
}

func assertDocumented(t *testing.T, err error) {
	t.Helper()
	if err == io.EOF {
		return
	}
	switch transport.CodeOf(err) {
	case transport.SocketTimeoutError, transport.RemoteHostClosedError, transport.ConnectionRefusedError,
		transport.OperationError:
	default:
		assert.Fail(t, "undocumented error", "%v", err)
	}
}
