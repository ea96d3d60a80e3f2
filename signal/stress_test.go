package signal

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentEmitConnectDisconnect hammers one signal from several
// goroutines; the race detector checks the copy-on-write slot list.
func TestConcurrentEmitConnectDisconnect(t *testing.T) {
	l := startLoop(t)
	recv := hostOn(l)
	var s Signal[int]
	var calls atomic.Int64
	stable := mustConnect(t, &s, func(int) { calls.Add(1) })
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for i := range 300 {
				s.Emit(i)
			}
		})
	}
	for g := range 2 {
		wg.Go(func() {
			for i := range 100 {
				opts := []ConnectOption{WithKind(Kind(i % 4)), To(recv)}
				if g == 1 {
					opts = append(opts, SingleShotConnection())
				}
				c, err := s.Connect(func(int) { calls.Add(1) }, opts...)
				if !assert.NoError(t, err) {
					return
				}
				if i%3 == 0 {
					s.Emit(i)
				}
				c.Disconnect()
			}
		})
	}
	wg.Wait()
	l.sync()
	assert.GreaterOrEqual(t, calls.Load(), int64(900), "the stable slot saw every emission")
	assert.True(t, stable.Connected())
	assert.Equal(t, 1, s.Receivers())
}

// TestSingleShotConcurrentEmitFiresOnce races emitters on single-shot
// connections of every kind.
func TestSingleShotConcurrentEmitFiresOnce(t *testing.T) {
	l := startLoop(t)
	recv := hostOn(l)
	for _, kind := range []Kind{Direct, Auto, Queued, BlockingQueued} {
		t.Run(kind.String(), func(t *testing.T) {
			for range 20 {
				var s Signal0
				var calls atomic.Int32
				_, err := s.Connect(func() { calls.Add(1) }, kind, To(recv), SingleShotConnection())
				require.NoError(t, err)
				var wg sync.WaitGroup
				start := make(chan struct{})
				for range 4 {
					wg.Go(func() {
						<-start
						s.Emit()
						s.Emit()
					})
				}
				close(start)
				wg.Wait()
				l.sync()
				assert.Equal(t, int32(1), calls.Load())
				assert.False(t, s.IsConnected())
			}
		})
	}
}

// TestDestroyWhileEmitting destroys receivers while other goroutines emit:
// no call may start after Destroy returned.
func TestDestroyWhileEmitting(t *testing.T) {
	var s Signal[int]
	recv := new(Host)
	var destroyed atomic.Bool
	var late atomic.Int32
	mustConnect(t, &s, func(int) {
		if destroyed.Load() {
			late.Add(1)
		}
	}, To(recv))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				s.Emit(1)
			}
		}
	})
	recv.Destroy()
	destroyed.Store(true)
	close(stop)
	wg.Wait()
	// An emission that loaded the slot list before Destroy may be under
	// way; no emission started afterwards calls the slot.
	assert.LessOrEqual(t, late.Load(), int32(1))
	assert.False(t, s.IsConnected())
}
