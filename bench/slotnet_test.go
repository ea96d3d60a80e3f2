package bench

import (
	"sync/atomic"
	"testing"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/signal"
)

// The slotnet halves of the dispatch benchmarks in baseline_test.go.

func connectN(b *testing.B, s *signal.Signal[int], c *counter, n int, opts ...signal.ConnectOption) {
	for _, f := range slotsFor(c, n) {
		if _, err := s.Connect(f, opts...); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSlotnetDirect(b *testing.B, n int) {
	var c counter
	var s signal.Signal[int]
	connectN(b, &s, &c, n, signal.WithKind(signal.Direct))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.Emit(i)
	}
}

func benchSlotnetDirectParallel(b *testing.B, n int) {
	var s signal.Signal[int]
	for _, f := range quietSlots(n) {
		if _, err := s.Connect(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			s.Emit(i)
		}
	})
}

// loops starts an emitter loop and a receiver loop, returning objects on
// each and a stop function that joins both.
func loops(b *testing.B) (emitter, receiver *core.Object, stop func()) {
	el, rl := core.NewLoop(core.WithName("emitter")), core.NewLoop(core.WithName("receiver"))
	for _, l := range []*core.Loop{el, rl} {
		if err := l.Start(); err != nil {
			b.Fatal(err)
		}
	}
	var err error
	if emitter, err = core.NewObject(core.WithLoop(el)); err != nil {
		b.Fatal(err)
	}
	if receiver, err = core.NewObject(core.WithLoop(rl)); err != nil {
		b.Fatal(err)
	}
	return emitter, receiver, func() { el.Close(); rl.Close() }
}

// benchSlotnetQueued emits b.N values to a slot on another loop and waits
// until the last one ran: end-to-end queued delivery.
func benchSlotnetQueued(b *testing.B) {
	emitter, receiver, stop := loops(b)
	defer stop()
	var s signal.Signal[int]
	s.Bind(emitter.SignalHost())
	last := make(chan struct{})
	var want atomic.Int64
	want.Store(-1)
	if _, err := s.Connect(func(v int) {
		if int64(v) == want.Load() {
			close(last)
		}
	}, signal.To(receiver), signal.WithKind(signal.Queued)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for ; b.Loop(); i++ {
		s.Emit(i)
	}
	want.Store(int64(i)) // every value emitted so far is < i
	s.Emit(i)
	<-last
}

// benchSlotnetBurst queues a burst while nothing drains, then times the
// drain alone: the rate at which a loop works through a backlog.
func benchSlotnetBurst(b *testing.B, burst int) {
	var c counter
	d := signal.NewDispatcher()
	var recv signal.Host
	recv.SetDispatcher(d)
	var s signal.Signal[int]
	connectN(b, &s, &c, 1, signal.To(&recv), signal.WithKind(signal.Queued))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		for i := range burst {
			s.Emit(i)
		}
		b.StartTimer()
		for d.Pending() > 0 {
			d.Drain()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*burst), "ns/event")
}

func benchSlotnetBlockingQueued(b *testing.B) {
	emitter, receiver, stop := loops(b)
	defer stop()
	var c counter
	var s signal.Signal[int]
	s.Bind(emitter.SignalHost())
	connectN(b, &s, &c, 1, signal.To(receiver), signal.WithKind(signal.BlockingQueued))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.Emit(i)
	}
}

func benchSlotnetWakeup(b *testing.B) {
	l := core.NewLoop(core.WithName("idle"))
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	back := make(chan struct{})
	signalBack := func() { back <- struct{}{} }
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Post(signalBack); err != nil {
			b.Fatal(err)
		}
		<-back
	}
}
