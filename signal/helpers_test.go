package signal

import (
	"sync"
	"testing"
)

// loop runs a Dispatcher on its own goroutine, as core.Loop does, until
// Close, which joins it.
type loop struct {
	d    *Dispatcher
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

func startLoop(tb testing.TB) *loop {
	tb.Helper()
	l := &loop{d: NewDispatcher(), stop: make(chan struct{})}
	l.wg.Go(func() {
		for {
			select {
			case <-l.d.Wake():
				l.d.Drain()
			case <-l.stop:
				return
			}
		}
	})
	tb.Cleanup(l.Close)
	return l
}

// Close stops the loop goroutine and waits for it; idempotent.
func (l *loop) Close() {
	l.once.Do(func() { close(l.stop) })
	l.wg.Wait()
}

// sync waits until everything posted to the loop so far has been delivered.
func (l *loop) sync() {
	done := make(chan struct{})
	l.d.Post(func() { close(done) })
	<-done
}

// hostOn returns a Host living on l (on no loop when l is nil).
func hostOn(l *loop) *Host {
	h := new(Host)
	if l != nil {
		h.SetDispatcher(l.d)
	}
	return h
}
