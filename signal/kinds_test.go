package signal

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manual returns a Host on a dispatcher the test drains itself.
func manual() (*Host, *Dispatcher) {
	d := NewDispatcher()
	h := new(Host)
	h.SetDispatcher(d)
	return h, d
}

func TestQueuedRunsOnDrain(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	var got []int
	mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv))
	s.Emit(1)
	s.Emit(2)
	assert.Empty(t, got, "a queued slot does not run inside Emit")
	assert.Equal(t, 1, d.Pending(), "consecutive calls of a connection travel as one event")
	select {
	case <-d.Wake():
	default:
		t.Fatal("posting to an idle dispatcher must wake it")
	}
	assert.Equal(t, 1, d.Drain())
	assert.Equal(t, []int{1, 2}, got)
}

func TestQueuedOrderAcrossSignals(t *testing.T) {
	recv, d := manual()
	var a Signal[string]
	var b Signal0
	var got []string
	mustConnect(t, &a, func(v string) { got = append(got, v) }, Queued, To(recv))
	_, err := b.Connect(func() { got = append(got, "b") }, Queued, To(recv))
	require.NoError(t, err)
	a.Emit("a1")
	b.Emit()
	a.Emit("a2")
	d.Post(func() { got = append(got, "post") })
	b.Emit()
	a.Emit("a3")
	d.Drain()
	assert.Equal(t, []string{"a1", "b", "a2", "post", "b", "a3"}, got)
}

func TestQueuedManyCallsInBursts(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	sum, want := 0, 0
	mustConnect(t, &s, func(v int) { sum += v }, Queued, To(recv))
	for round := range 5 {
		for i := range 3*keepBytes/16 + round {
			s.Emit(i)
			want += i
		}
		d.Drain()
	}
	assert.Equal(t, want, sum)
}

func TestQueuedRunsSplitByOtherPosts(t *testing.T) {
	recv, d := manual()
	var a, b Signal[int]
	var got []int
	mustConnect(t, &a, func(v int) { got = append(got, v) }, Queued, To(recv))
	mustConnect(t, &b, func(v int) { got = append(got, -v) }, Queued, To(recv))
	a.Emit(1)
	a.Emit(2)
	b.Emit(3)
	a.Emit(4)
	assert.Equal(t, 3, d.Pending())
	// Posting while the loop works through a batch opens new runs.
	d.Post(func() {
		a.Emit(5)
		b.Emit(6)
		a.Emit(7)
		a.Emit(8)
	})
	assert.Equal(t, 4, d.Drain())
	assert.Equal(t, []int{1, 2, -3, 4}, got)
	assert.Equal(t, 3, d.Drain())
	assert.Equal(t, []int{1, 2, -3, 4, 5, -6, 7, 8}, got)
}

func TestQueuedToDestroyedReceiverNotDelivered(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	n := 0
	mustConnect(t, &s, func(int) { n++ }, Queued, To(recv))
	s.Emit(1)
	recv.Destroy()
	s.Emit(2)
	assert.Equal(t, 1, d.Drain())
	assert.Zero(t, n)
}

func TestQueuedDisconnectedBeforeDeliveryNotCalled(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	n := 0
	c := mustConnect(t, &s, func(int) { n++ }, Queued, To(recv))
	s.Emit(1)
	c.Disconnect()
	d.Drain()
	assert.Zero(t, n)
}

func TestQueuedSingleShot(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	var got []int
	c := mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv), SingleShotConnection())
	s.Emit(1)
	s.Emit(2)
	assert.False(t, c.Connected())
	d.Drain()
	assert.Equal(t, []int{1}, got)

	// Disconnecting a fired single shot cancels its pending call.
	c = mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv), SingleShotConnection())
	s.Emit(3)
	assert.False(t, c.Disconnect(), "it was no longer connected")
	d.Drain()
	assert.Equal(t, []int{1}, got)

	// And so does destroying the receiver.
	mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv), SingleShotConnection())
	s.Emit(4)
	recv.Destroy()
	d.Drain()
	assert.Equal(t, []int{1}, got)
}

func TestQueuedErrors(t *testing.T) {
	var s Signal[int]
	_, err := s.Connect(func(int) {}, Queued)
	assert.ErrorIs(t, err, ErrNoReceiver)
	_, err = s.Connect(func(int) {}, BlockingQueued)
	assert.ErrorIs(t, err, ErrNoReceiver)
	_, err = s.Connect(func(int) {}, Queued, To(new(Host)))
	assert.ErrorIs(t, err, ErrNoLoop)
	s.Bind(new(Host))
	_, err = s.Connect(func(int) {}, Queued)
	assert.ErrorIs(t, err, ErrNoLoop, "the loopless emitter stands in for the receiver")
	assert.False(t, s.IsConnected())
}

func TestQueuedWithoutReceiverUsesEmitter(t *testing.T) {
	emitter, d := manual()
	var s Signal0
	s.Bind(emitter)
	n := 0
	c, err := s.Connect(func() { n++ }, Queued)
	require.NoError(t, err)
	s.Emit()
	assert.Zero(t, n)
	d.Drain()
	assert.Equal(t, 1, n)
	emitter.Destroy()
	assert.False(t, c.Connected(), "the emitter is the connection's context")
}

func TestQueuedReceiverLeftLoopRunsDirect(t *testing.T) {
	recv, _ := manual()
	var s Signal[int]
	n := 0
	mustConnect(t, &s, func(int) { n++ }, Queued, To(recv))
	recv.SetDispatcher(nil)
	s.Emit(1)
	assert.Equal(t, 1, n)
}

func TestQueuedReceiverMovedToAnotherLoop(t *testing.T) {
	recv, d1 := manual()
	d2 := NewDispatcher()
	var s Signal[int]
	var got []int
	mustConnect(t, &s, func(v int) { got = append(got, v) }, Queued, To(recv))
	s.Emit(1)
	recv.SetDispatcher(d2)
	s.Emit(2)
	assert.Equal(t, 1, d2.Drain())
	assert.Equal(t, 1, d1.Drain(), "calls stay on the loop they were posted to")
	assert.Equal(t, []int{2, 1}, got)
}

func TestAutoRouting(t *testing.T) {
	loopA, dA := manual()
	objA, objB := new(Host), new(Host)
	objA.SetDispatcher(dA)
	objB.SetDispatcher(NewDispatcher())
	noLoop := new(Host)

	cases := []struct {
		name     string
		emitter  *Host // nil: unbound signal
		receiver *Host // nil: no To
		direct   bool
	}{
		{"no receiver", loopA, nil, true},
		{"unbound, no receiver", nil, nil, true},
		{"receiver without loop", loopA, noLoop, true},
		{"same loop", loopA, objA, true},
		{"other loop", loopA, objB, false},
		{"unbound emitter, receiver on a loop", nil, objA, false},
		{"emitter without loop, receiver on a loop", noLoop, objA, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s Signal[int]
			if tc.emitter != nil {
				require.NoError(t, s.Bind(tc.emitter))
			}
			n := 0
			opts := []ConnectOption{Auto}
			if tc.receiver != nil {
				opts = append(opts, To(tc.receiver))
			}
			c := mustConnect(t, &s, func(int) { n++ }, opts...)
			defer c.Disconnect()
			s.Emit(1)
			if tc.direct {
				assert.Equal(t, 1, n, "Auto must be Direct")
			} else {
				assert.Zero(t, n, "Auto must be Queued")
				assert.Equal(t, 1, tc.receiver.Dispatcher().Drain())
				assert.Equal(t, 1, n)
			}
		})
	}
}

func TestAutoFollowsAffinityChanges(t *testing.T) {
	emitter, d := manual()
	recv := new(Host)
	var s Signal0
	s.Bind(emitter)
	n := 0
	_, err := s.Connect(func() { n++ }, To(recv))
	require.NoError(t, err)
	s.Emit()
	assert.Equal(t, 1, n, "receiver without loop: direct")
	recv.SetDispatcher(NewDispatcher())
	s.Emit()
	assert.Equal(t, 1, n, "receiver on another loop: queued")
	recv.SetDispatcher(d)
	s.Emit()
	assert.Equal(t, 2, n, "receiver on the emitter's loop: direct")
	assert.Equal(t, 0, d.Drain())
}

func TestDirectKindIgnoresLoops(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	n := 0
	mustConnect(t, &s, func(int) { n++ }, Direct, To(recv))
	s.Emit(1)
	assert.Equal(t, 1, n)
	assert.Zero(t, d.Pending())
}

func TestBlockingQueuedWaits(t *testing.T) {
	l := startLoop(t)
	recv := hostOn(l)
	var s Signal[int]
	var ran atomic.Bool
	release := make(chan struct{})
	mustConnect(t, &s, func(v int) {
		<-release
		ran.Store(true)
	}, BlockingQueued, To(recv))
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Emit(1)
	}()
	select {
	case <-done:
		t.Fatal("Emit returned before the slot ran")
	default:
	}
	close(release)
	<-done
	assert.True(t, ran.Load(), "Emit returns after the slot ran")
}

func TestBlockingQueuedOnOwnLoopRunsDirect(t *testing.T) {
	h, d := manual()
	var s Signal0
	s.Bind(h)
	n := 0
	_, err := s.Connect(func() { n++ }, BlockingQueued, To(h))
	require.NoError(t, err)
	s.Emit() // would deadlock if posted: nobody drains d
	assert.Equal(t, 1, n)
	assert.Zero(t, d.Pending())
}

func TestBlockingQueuedDisconnectedStillReleasesEmitter(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	n := 0
	c := mustConnect(t, &s, func(int) { n++ }, BlockingQueued, To(recv))
	var wg sync.WaitGroup
	wg.Go(func() { s.Emit(1) })
	<-d.Wake() // the call is queued and the emitter waits
	c.Disconnect()
	assert.Equal(t, 1, d.Drain())
	wg.Wait()
	assert.Zero(t, n)
}

func TestBlockingQueuedSlotPanicReleasesEmitter(t *testing.T) {
	d := NewDispatcher()
	var recovered atomic.Value
	d.SetPanicHandler(func(v any) { recovered.Store(v) })
	recv := new(Host)
	recv.SetDispatcher(d)
	var s Signal[int]
	mustConnect(t, &s, func(v int) { panic(v) }, BlockingQueued, To(recv))
	var wg sync.WaitGroup
	wg.Go(func() { s.Emit(5) })
	<-d.Wake()
	assert.Equal(t, 1, d.Drain())
	wg.Wait()
	assert.Equal(t, 5, recovered.Load())
}

func TestQueuedConcurrentEmittersAllDelivered(t *testing.T) {
	l := startLoop(t)
	recv := hostOn(l)
	var s Signal[int]
	var sum atomic.Int64
	mustConnect(t, &s, func(v int) { sum.Add(int64(v)) }, Queued, To(recv))
	const goroutines, each = 4, 500
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for i := 1; i <= each; i++ {
				s.Emit(i)
			}
		})
	}
	wg.Wait()
	l.sync()
	assert.Equal(t, int64(goroutines*each*(each+1)/2), sum.Load())
}

func TestQueuedBuffersShrinkAfterBursts(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	n := 0
	mustConnect(t, &s, func(int) { n++ }, Queued, To(recv))
	burst := 2 * keepBytes / 16 // twice what is kept for int calls
	for range burst {
		s.Emit(1)
	}
	d.Drain()
	p := s.l.snap.Load().queues[0].cur.Load()
	assert.GreaterOrEqual(t, cap(p.out)+cap(p.in), burst, "kept right after the burst")
	for range 2 * calmBatches {
		s.Emit(1)
		d.Drain()
	}
	assert.Less(t, cap(p.out)+cap(p.in), burst, "let go once calm")
	assert.Equal(t, burst+2*calmBatches, n)
}

func TestQueuedNestedDrainKeepsOrder(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	var got []int
	mustConnect(t, &s, func(v int) {
		got = append(got, v)
		if v == 1 {
			s.Emit(10) // a new run, behind the rest of this one
			s.Emit(11)
			d.Drain() // a nested loop, as a blocking wait inside a slot runs
		}
	}, Queued, To(recv))
	s.Emit(1)
	s.Emit(2)
	s.Emit(3)
	d.Drain()
	assert.Equal(t, []int{1, 2, 3, 10, 11}, got)
	assert.Zero(t, d.Pending())
	s.Emit(4)
	d.Drain()
	assert.Equal(t, []int{1, 2, 3, 10, 11, 4}, got, "nothing left owed")
}

func TestQueuedPanicTwiceInOneRun(t *testing.T) {
	recv, d := manual()
	var s Signal[int]
	var got []int
	mustConnect(t, &s, func(v int) {
		if v%2 == 0 {
			panic(v)
		}
		got = append(got, v)
	}, Queued, To(recv))
	for i := 1; i <= 5; i++ {
		s.Emit(i)
	}
	assert.PanicsWithValue(t, 2, func() { d.Drain() })
	assert.PanicsWithValue(t, 4, func() { d.Drain() })
	assert.Equal(t, 1, d.Drain())
	assert.Equal(t, []int{1, 3, 5}, got)
	s.Emit(7)
	assert.Equal(t, 1, d.Drain())
	assert.Equal(t, []int{1, 3, 5, 7}, got)
	assert.Zero(t, d.Pending())
}
