package transporttest

import (
	"sync"
	"time"
)

// realTimer measures real time for code inside a synctest bubble, where
// package time is virtual. Its goroutine and channels are created outside
// the bubble: a bubbled goroutine may wait on them (such a wait is not
// durable, so the bubble's clock stays still meanwhile), and the timer
// fires after real time even when a goroutine stuck on a mutex has frozen
// the bubble's clock.
type realTimer struct {
	arm   chan time.Duration // starts a countdown
	fired chan struct{}      // receives when a countdown ends (buffered)
	quit  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
}

func newRealTimer() *realTimer {
	rt := &realTimer{
		arm:   make(chan time.Duration),
		fired: make(chan struct{}, 1),
		quit:  make(chan struct{}),
	}
	rt.wg.Add(1)
	go rt.loop()
	return rt
}

func (rt *realTimer) loop() {
	defer rt.wg.Done()
	for {
		select {
		case d := <-rt.arm:
			if !rt.countdown(d) {
				return
			}
		case <-rt.quit:
			return
		}
	}
}

// countdown waits d of real time, then reports it; a new arm restarts it.
func (rt *realTimer) countdown(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			select {
			case rt.fired <- struct{}{}:
			default:
			}
			return true
		case d = <-rt.arm:
			t.Reset(d)
		case <-rt.quit:
			return false
		}
	}
}

// start begins a countdown of d real time and returns the channel that
// receives when it ends. One countdown runs at a time.
func (rt *realTimer) start(d time.Duration) <-chan struct{} {
	select {
	case <-rt.fired: // a stale expiry
	default:
	}
	rt.arm <- d
	return rt.fired
}

// stop ends the timer's goroutine; it is idempotent.
func (rt *realTimer) stop() {
	rt.once.Do(func() { close(rt.quit) })
	rt.wg.Wait()
}
