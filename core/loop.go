package core

import (
	"context"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/slotnet/slotnet/signal"
)

// Loop is an event loop: one goroutine at a time runs the functions posted
// to it and its timers, in order. It is the counterpart of a QThread running
// a QEventLoop. Run it on the calling goroutine with Run, or on a goroutine
// of its own with Start; Close stops it and joins that goroutine. Objects
// have affinity to a loop (WithLoop, MoveToLoop); queued connections to them
// are delivered through its Dispatcher.
//
// Create loops with NewLoop. All methods are safe to call from any
// goroutine.
type Loop struct {
	name    string
	log     *zap.Logger
	repanic bool
	disp    *signal.Dispatcher
	timers  timerQueue
	quitCh  chan struct{} // buffered 1: a quit request Run has not seen yet
	closeCh chan struct{} // closed by Close
	owner   atomic.Int64  // id of the goroutine processing events; 0 if none
	proc    sync.Mutex    // ownership token, held while events are processed (see run)
	closed  atomic.Bool
	close   sync.Once
	waiters waiters        // WaitUntil calls from other goroutines
	wg      sync.WaitGroup // the goroutine Start spawned

	dropped atomic.Int64 // calls and events dropped because the loop is closed

	mu      sync.Mutex    // guards code, runDone
	code    int           // exit code of the pending quit request
	runDone chan struct{} // closed when the current Run returns; nil when idle
}

// NewLoop returns a loop that is not running yet. Options: WithName,
// WithLogger, WithRepanic.
func NewLoop(opts ...LoopOption) *Loop {
	c := loopConfig(opts)
	l := &Loop{
		name:    c.name,
		log:     c.logger,
		repanic: c.repanic,
		disp:    signal.NewDispatcher(),
		quitCh:  make(chan struct{}, 1),
		closeCh: make(chan struct{}),
	}
	l.timers.init(l.disp.Wakeup)
	registerLoop(l)
	if !l.repanic {
		l.disp.SetPanicHandler(l.logPanic)
	}
	l.disp.SetDropHandler(l.logDropped)
	return l
}

// Name returns the name given with WithName.
func (l *Loop) Name() string { return l.name }

// String returns the loop's name, or "loop" when it has none.
func (l *Loop) String() string {
	if l.name == "" {
		return "loop"
	}
	return l.name
}

// Dispatcher returns the loop's event queue. An object's affinity is its
// loop's Dispatcher (signal.Host.Dispatcher); queued connections post to it.
func (l *Loop) Dispatcher() *signal.Dispatcher { return l.disp }

// Post queues fn to run on the loop, after the functions posted before it.
// It fails with ErrLoopClosed once the loop is closed.
func (l *Loop) Post(fn func()) error {
	if fn == nil {
		return ErrNilFunc
	}
	if l.closed.Load() {
		return ErrLoopClosed
	}
	return l.disp.Post(fn)
}

// IsRunning reports whether Run (or the goroutine of Start) is running.
func (l *Loop) IsRunning() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.runDone != nil
}

// IsClosed reports whether Close has been called.
func (l *Loop) IsClosed() bool { return l.closed.Load() }

// Quit makes Run return 0; it is Exit(0).
func (l *Loop) Quit() { l.Exit(0) }

// Exit makes Run return code once the loop finishes its current pass: the
// events that were already queued when the pass began still run (so do the
// timers that were due); events posted after that stay queued for the next
// Run or ProcessEvents. A request made while the
// loop is not running is kept: the next Run returns at once (so Start
// followed at once by Quit never leaves a loop running).
func (l *Loop) Exit(code int) {
	l.mu.Lock()
	l.code = code
	l.mu.Unlock()
	select {
	case l.quitCh <- struct{}{}:
	default:
	}
	l.disp.Wakeup()
}

// Start runs the loop on a new goroutine, which Close joins. It fails with
// ErrLoopRunning if the loop already runs and ErrLoopClosed once closed. A
// loop whose goroutine returned after Quit can be started again.
func (l *Loop) Start() error {
	done, err := l.beginRun()
	if err != nil {
		return err
	}
	l.wg.Go(func() {
		defer l.endRun(done)
		_, _ = l.run(context.Background())
	})
	return nil
}

// Run runs the loop on the calling goroutine until Quit or Exit (it returns
// their code and nil), ctx ends (0 and ctx.Err()) or Close (0 and
// ErrLoopClosed). It fails with ErrLoopRunning if the loop already runs,
// also when called from inside one of its own events (a Loop does not nest).
func (l *Loop) Run(ctx context.Context) (int, error) {
	if l.onLoop() {
		return 0, ErrLoopRunning
	}
	done, err := l.beginRun()
	if err != nil {
		return 0, err
	}
	defer l.endRun(done)
	return l.run(ctx)
}

func (l *Loop) beginRun() (chan struct{}, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed.Load():
		return nil, ErrLoopClosed
	case l.runDone != nil:
		return nil, ErrLoopRunning
	}
	l.runDone = make(chan struct{})
	return l.runDone, nil
}

func (l *Loop) endRun(done chan struct{}) {
	l.mu.Lock()
	l.runDone = nil
	l.mu.Unlock()
	close(done)
}

// run is the loop proper: timers that are due, then the queued events, then
// a wait on whichever comes first of a post, the next timer, a change of
// timers, quit, close and ctx. It never polls.
//
// proc is a token rather than a data lock: ProcessEvents only tries it, and
// run, which never runs inside the loop's own events, waits for it only
// while another goroutine's ProcessEvents finishes.
func (l *Loop) run(ctx context.Context) (int, error) {
	l.proc.Lock()
	defer l.proc.Unlock()
	l.owner.Store(goid())
	defer l.owner.Store(0)
	tm := time.NewTimer(time.Hour)
	tm.Stop()
	defer tm.Stop()
	for {
		l.fireTimers()
		l.disp.Drain()
		l.checkWaiters()
		// Quit and Close leave a wake token too, so a request made while
		// the loop waits ends the wait and is seen here after one more pass.
		if code, stop, err := l.quitRequested(); stop {
			return code, err
		}
		if code, stop, err := l.wait(ctx, tm); stop {
			return code, err
		}
	}
}

// wait blocks until there is something to do, using tm for the next timer.
// It reports stop when the loop must return code and err. Posts, timer
// changes, Quit and Close all signal the dispatcher's wake channel, so an
// idle loop without timers or a cancellable ctx waits on that one channel —
// a plain receive, as cheap to wake as a goroutine blocked on a channel.
func (l *Loop) wait(ctx context.Context, tm *time.Timer) (code int, stop bool, err error) {
	var tc <-chan time.Time
	if when, ok := l.timers.next(); ok {
		tm.Reset(time.Until(when))
		tc = tm.C
	}
	done := ctx.Done()
	if tc == nil && done == nil {
		<-l.disp.Wake()
		return 0, false, nil
	}
	select {
	case <-l.disp.Wake():
	case <-tc:
	case <-done:
		return 0, true, ctx.Err()
	}
	return 0, false, nil
}

// quitRequested consumes a pending quit or close without waiting.
func (l *Loop) quitRequested() (code int, stop bool, err error) {
	select {
	case <-l.closeCh:
		return 0, true, ErrLoopClosed
	case <-l.quitCh:
		return l.exitCode(), true, nil
	default:
		return 0, false, nil
	}
}

func (l *Loop) exitCode() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.code
}

// ProcessEvents runs, on the calling goroutine, the timers that are due and
// the events queued when it is called, and returns how many of both ran.
// It is how a loop that is not running (tests, blocking mode, a program's own
// main loop) makes progress: Qt's QCoreApplication::processEvents. While
// another goroutine runs the loop, and inside one of the loop's own events
// (a Loop does not nest), it does nothing and returns 0.
func (l *Loop) ProcessEvents() int {
	if l.closed.Load() || !l.proc.TryLock() {
		return 0
	}
	defer l.proc.Unlock()
	l.owner.Store(goid())
	defer l.owner.Store(0)
	n := l.fireTimers() + l.disp.Drain()
	l.checkWaiters()
	return n
}

// IsCurrent reports whether the calling goroutine is the one processing the
// loop's events right now (through Run, Start or ProcessEvents): the test
// for "am I on this object's loop?", like comparing QThread::currentThread()
// with an object's thread.
func (l *Loop) IsCurrent() bool { return l.onLoop() }

// onLoop is IsCurrent. The goroutine id is read only when some goroutine is
// processing the loop's events.
func (l *Loop) onLoop() bool {
	id := l.owner.Load()
	return id != 0 && id == goid()
}

// Close stops the loop for good: Run returns ErrLoopClosed, the goroutine
// of Start is joined, the timers are stopped, and Post, Start, Run and
// Invoke fail with ErrLoopClosed. Once the loop has stopped, what is still
// queued is dropped and let go (the loop keeps nothing reachable), and
// logged at Error level with the number of calls lost: posted functions,
// queued slot calls (a BlockingQueued emitter waiting for one is released
// without the slot running) and the internal events of the objects living
// on the loop — except a pending DeleteLater, which destroys its object
// there and then, on the goroutine calling Close (Qt's QThread runs its
// deferred deletes as it finishes). What every operation does on a closed
// loop is in the package documentation ("A closed loop").
//
// Called from one of the loop's own events, Close cannot wait for the loop
// to return: it stops it after that event, and drops what is queued at
// once. Close is idempotent and returns nil.
func (l *Loop) Close() error {
	l.close.Do(func() {
		l.mu.Lock()
		l.closed.Store(true)
		l.mu.Unlock()
		close(l.closeCh)
		l.disp.Wakeup()
	})
	l.timers.closeQueue()
	if l.onLoop() {
		l.disp.Close()
		return nil
	}
	l.mu.Lock()
	done := l.runDone
	l.mu.Unlock()
	if done != nil {
		<-done
	}
	l.wg.Wait()
	// No goroutine processes the loop's events any more (Run and Start
	// have returned; a ProcessEvents still under way is waited for), so
	// this one may drop them. It counts as the loop's own goroutine while
	// it does: a destroy hook run by a pending DeleteLater is on the loop.
	l.proc.Lock()
	defer l.proc.Unlock()
	l.owner.Store(goid())
	defer l.owner.Store(0)
	l.disp.Close()
	return nil
}

// logDropped is the dispatcher's drop handler: it reports calls and events
// lost to the closed loop at Error level — the first one, and then each time
// the total reaches a power of two, so a flood stays loud without filling
// the log.
func (l *Loop) logDropped(n int) {
	if n <= 0 {
		return
	}
	total := l.dropped.Add(int64(n))
	prev := total - int64(n)
	if prev == 0 || bitLen(prev) != bitLen(total) {
		l.log.Error("slotnet: queued calls dropped: loop closed",
			zap.String("loop", l.String()),
			zap.Int("dropped", n),
			zap.Int64("droppedTotal", total))
	}
}

// bitLen is the number of bits needed for x.
func bitLen(x int64) int { return bits.Len64(uint64(x)) }

// Dropped returns how many calls and events the loop has dropped because
// it was closed (see Close); each drop is also logged.
func (l *Loop) Dropped() int64 { return l.dropped.Load() }

// logPanic is the dispatcher's panic handler: it runs in the deferred
// recover of the panicking event, so zap.Stack sees the panic's frames.
func (l *Loop) logPanic(v any) {
	l.log.Error("slotnet: panic recovered in loop event",
		zap.String("loop", l.String()),
		zap.Any("panic", v),
		zap.Stack("stack"))
}

// guard runs fn, recovering and logging a panic unless WithRepanic was
// given. Timers fire through it (they are not dispatcher events).
func (l *Loop) guard(fn func()) {
	if !l.repanic {
		defer func() {
			if v := recover(); v != nil {
				l.logPanic(v)
			}
		}()
	}
	fn()
}
