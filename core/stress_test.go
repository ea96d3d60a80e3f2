package core

import (
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/signal"
)

// Timers started, stopped and restarted from other goroutines while they
// fire: the race detector watches, and a stopped timer stays silent.
func TestTimerConcurrentControl(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLoop()
		require.NoError(t, l.Start())
		defer l.Close()
		var timers []*Timer
		var fired atomic.Int64
		for range 4 {
			tm, err := NewTimer(WithLoop(l), WithInterval(time.Millisecond))
			require.NoError(t, err)
			_, err = tm.Timeout.Connect(func() { fired.Add(1) })
			require.NoError(t, err)
			timers = append(timers, tm)
		}
		var wg sync.WaitGroup
		for i, tm := range timers {
			wg.Go(func() {
				for j := range 50 {
					switch (i + j) % 3 {
					case 0:
						_ = tm.Start()
					case 1:
						tm.Stop()
					default:
						_ = tm.SetInterval(time.Duration(j%5+1) * time.Millisecond)
					}
					_ = tm.RemainingTime()
					time.Sleep(time.Millisecond)
				}
				tm.Stop()
			})
		}
		wg.Wait()
		synctest.Wait()
		before := fired.Load()
		time.Sleep(time.Second)
		synctest.Wait()
		assert.Equal(t, before, fired.Load(), "stopped timers stay silent")
		assert.Positive(t, before)
	})
}

// Objects created, connected, emitted to and destroyed across two loops.
func TestObjectsAcrossLoopsUnderLoad(t *testing.T) {
	l1, l2 := NewLoop(), NewLoop()
	require.NoError(t, l1.Start())
	require.NoError(t, l2.Start())
	defer l1.Close()
	defer l2.Close()
	sender, err := NewObject(WithLoop(l1))
	require.NoError(t, err)
	var sig signal.Signal[int]
	sig.Bind(sender.SignalHost())
	var got atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				recv, err := NewObject(WithLoop(l2))
				if !assert.NoError(t, err) {
					return
				}
				_, err = sig.Connect(func(v int) { got.Add(int64(v)) }, signal.To(recv))
				assert.NoError(t, err)
				_ = l1.Post(func() { sig.Emit(1) })
				recv.DeleteLater()
			}
		})
	}
	wg.Wait()
	require.NoError(t, l1.Invoke(func() {}))
	require.NoError(t, l2.Invoke(func() {}))
	require.NoError(t, l2.Invoke(func() {})) // pumps posted by the last events
	assert.False(t, sig.IsConnected(), "every receiver was destroyed")
}
