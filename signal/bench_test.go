package signal

import (
	"strconv"
	"sync"
	"testing"
)

// Benchmarks run side by side with their practical limit (a loop over a
// []func(int), a buffered channel, a channel ping-pong) so ratios hold on a
// noisy machine:
//
//	go test -run '^$' -bench . -benchmem -count 3 -benchtime 200ms ./signal

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

var slotCounts = []int{0, 1, 10, 100}

func forEachN(b *testing.B, fn func(b *testing.B, n int)) {
	for _, n := range slotCounts {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) { fn(b, n) })
	}
}

func connectedSignal(b *testing.B, c *counter, n int) *Signal[int] {
	s := new(Signal[int])
	s.Bind(new(Host))
	for _, f := range slotsFor(c, n) {
		if _, err := s.Connect(f, Direct); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

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
	b.Run("signal", func(b *testing.B) {
		forEachN(b, func(b *testing.B, n int) {
			var c counter
			s := connectedSignal(b, &c, n)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				s.Emit(i)
			}
		})
	})
	b.Run("signal0", func(b *testing.B) {
		forEachN(b, func(b *testing.B, n int) {
			var c counter
			var s Signal0
			for range n {
				if _, err := s.Connect(func() { c.n++ }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				s.Emit()
			}
		})
	})
}

// pureSlots returns slots that write nothing, so parallel emitters share
// no written cache line and the benchmark measures dispatch alone.
func pureSlots(n int) []func(int) {
	fns := make([]func(int), n)
	for i := range fns {
		fns[i] = func(v int) {
			if v < 0 {
				panic(v)
			}
		}
	}
	return fns
}

func BenchmarkDirectParallel(b *testing.B) {
	b.Run("limit=funcslice", func(b *testing.B) {
		forEachN(b, func(b *testing.B, n int) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				fns := pureSlots(n)
				for i := 0; pb.Next(); i++ {
					for _, f := range fns {
						f(i)
					}
				}
			})
		})
	})
	b.Run("signal", func(b *testing.B) {
		forEachN(b, func(b *testing.B, n int) {
			var s Signal[int]
			s.Bind(new(Host))
			for _, f := range pureSlots(n) {
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
		})
	})
}

type event struct {
	fn  func(int)
	arg int
}

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
	b.Run("signal", func(b *testing.B) {
		var c counter
		l := startLoop(b)
		var s Signal[int]
		if _, err := s.Connect(slotsFor(&c, 1)[0], Queued, To(hostOn(l))); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			s.Emit(i)
		}
		l.sync()
	})
}

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
	b.Run("signal", func(b *testing.B) {
		var c counter
		d := NewDispatcher()
		h := new(Host)
		h.SetDispatcher(d)
		var s Signal[int]
		if _, err := s.Connect(slotsFor(&c, 1)[0], Queued, To(h)); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			for i := range burst {
				s.Emit(i)
			}
			<-d.Wake()
			b.StartTimer()
			d.Drain() // one event: a run of burst calls
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*burst), "ns/event")
	})
}

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
	b.Run("signal", func(b *testing.B) {
		var c counter
		l := startLoop(b)
		var s Signal[int]
		if _, err := s.Connect(slotsFor(&c, 1)[0], BlockingQueued, To(hostOn(l))); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			s.Emit(i)
		}
	})
}
