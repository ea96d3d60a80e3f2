package bench

import (
	"strconv"
	"sync"
	"testing"

	"github.com/asaskevich/EventBus"
)

// slotCounts are the N of every per-slot-count benchmark.
var slotCounts = []int{0, 1, 10, 100}

// sink keeps the compiler from removing slot bodies. Each slot adds to its
// own padded counter so parallel runs measure dispatch, not a shared line.
type counter struct {
	n int64
	_ [56]byte
}

func slotsFor(c *counter, n int) []func(int) {
	fns := make([]func(int), n)
	for i := range fns {
		fns[i] = func(v int) { c.n += int64(v) }
	}
	return fns
}

// quietSlots returns n slots that read their argument and write nothing
// shared, so parallel emitters measure dispatch, not cache-line contention.
func quietSlots(n int) []func(int) {
	fns := make([]func(int), n)
	for i := range fns {
		fns[i] = func(v int) {
			if v < 0 {
				panic("negative")
			}
		}
	}
	return fns
}

func forEachN(b *testing.B, fn func(b *testing.B, n int)) {
	for _, n := range slotCounts {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) { fn(b, n) })
	}
}

// BenchmarkDirect compares emitting to N direct slots with the practical
// limit, a loop over a []func(int).
func BenchmarkDirect(b *testing.B) {
	b.Run("limit=funcslice", func(b *testing.B) {
		forEachN(b, func(b *testing.B, n int) {
			var c counter
			fns := slotsFor(&c, n)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				for _, f := range fns {
					f(i)
				}
			}
		})
	})
	b.Run("slotnet", func(b *testing.B) { forEachN(b, benchSlotnetDirect) })
	b.Run("eventbus", func(b *testing.B) {
		forEachN(b, func(b *testing.B, n int) {
			var c counter
			bus := EventBus.New()
			for _, f := range slotsFor(&c, n) {
				if err := bus.Subscribe("t", f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				bus.Publish("t", i)
			}
		})
	})
}

// BenchmarkDirectParallel runs the direct emit on every P at once (two
// goroutines on this machine) against the same plain loop in parallel.
func BenchmarkDirectParallel(b *testing.B) {
	b.Run("limit=funcslice", func(b *testing.B) {
		forEachN(b, func(b *testing.B, n int) {
			b.ReportAllocs()
			fns := quietSlots(n)
			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					for _, f := range fns {
						f(i)
					}
				}
			})
		})
	})
	b.Run("slotnet", func(b *testing.B) { forEachN(b, benchSlotnetDirectParallel) })
}

// event is what the channel baseline carries: a function and its argument,
// the least a queued call needs.
type event struct {
	fn  func(int)
	arg int
}

// BenchmarkQueued measures end-to-end queued delivery to another goroutine,
// one event per emit, against the limit: a buffered channel of
// struct{fn; arg} drained by a goroutine.
func BenchmarkQueued(b *testing.B) {
	b.Run("limit=chan", func(b *testing.B) {
		var c counter
		fn := slotsFor(&c, 1)[0]
		ch := make(chan event, 1024)
		done := make(chan struct{})
		go func() {
			for ev := range ch {
				ev.fn(ev.arg)
			}
			close(done)
		}()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			ch <- event{fn, i}
		}
		close(ch)
		<-done
	})
	b.Run("slotnet", benchSlotnetQueued)
}

// BenchmarkQueuedBurst measures how fast a loop drains a backlog: the
// producer queues a burst of events while the loop is busy, then the loop
// drains them.
func BenchmarkQueuedBurst(b *testing.B) {
	const burst = 1000
	b.Run("limit=chan", func(b *testing.B) {
		var c counter
		fn := slotsFor(&c, 1)[0]
		ch := make(chan event, burst)
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			for i := range burst {
				ch <- event{fn, i}
			}
			b.StartTimer()
			for range burst {
				ev := <-ch
				ev.fn(ev.arg)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*burst), "ns/event")
	})
	b.Run("slotnet", func(b *testing.B) { benchSlotnetBurst(b, burst) })
}

// BenchmarkBlockingQueued measures a BlockingQueued round trip (emit, the
// other loop runs the slot, emit returns) against a channel ping-pong.
func BenchmarkBlockingQueued(b *testing.B) {
	b.Run("limit=chanpingpong", func(b *testing.B) {
		var c counter
		fn := slotsFor(&c, 1)[0]
		ping, pong := make(chan int), make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for v := range ping {
				fn(v)
				pong <- struct{}{}
			}
		})
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			ping <- i
			<-pong
		}
		close(ping)
		wg.Wait()
	})
	b.Run("slotnet", benchSlotnetBlockingQueued)
}

// BenchmarkWakeup measures how long an idle loop takes to run a posted
// function (and say so on a channel) against an idle goroutine blocked on a
// channel receive doing the same.
func BenchmarkWakeup(b *testing.B) {
	b.Run("limit=chan", func(b *testing.B) {
		in, back := make(chan func()), make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for fn := range in {
				fn()
			}
		})
		signal := func() { back <- struct{}{} }
		b.ReportAllocs()
		for b.Loop() {
			in <- signal
			<-back
		}
		close(in)
		wg.Wait()
	})
	b.Run("slotnet", benchSlotnetWakeup)
}
