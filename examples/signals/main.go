// Command signals is slotnet's signal/slot demo: two loops, a timer, a
// direct, a queued and a name-based (EventBus) connection, and a receiver
// destroyed half-way. Each line of its trace says which loop ran it; the
// steps are chained so the output is the same on every run.
//
//	go run ./examples/signals
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/signal"
)

func main() {
	os.Exit(run(os.Stdout))
}

// demo holds the demo's loops and objects.
type demo struct {
	w            io.Writer
	main, worker *core.Loop
	timer        *core.Timer
	producer     *core.Object
	tick         signal.Signal[int] // the producer's signal
	a, b         *core.Object       // receivers: a on main, b on worker
	bDone        signal.Signal[int] // b's signal, emitted on worker
	bConn        *signal.Connection
	n            int
}

// say prints one trace line prefixed with the loop running the caller.
func (d *demo) say(format string, args ...any) {
	where := "elsewhere"
	switch {
	case d.main.IsCurrent():
		where = d.main.Name()
	case d.worker.IsCurrent():
		where = d.worker.Name()
	}
	fmt.Fprintf(d.w, "[%s] %s\n", where, fmt.Sprintf(format, args...))
}

// run runs the demo, writing its trace to w, and returns the exit code.
func run(w io.Writer) int {
	d := &demo{w: w, main: core.NewLoop(core.WithName("main")), worker: core.NewLoop(core.WithName("worker"))}
	defer d.main.Close()
	defer d.worker.Close()
	if err := d.setup(); err != nil {
		fmt.Fprintln(w, "setup:", err)
		return 1
	}
	if err := d.worker.Start(); err != nil {
		fmt.Fprintln(w, "worker:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = d.main.Post(func() {
		d.say("start: A lives on main, B on worker")
		_ = d.timer.Start()
	})
	code, err := d.main.Run(ctx)
	if err != nil {
		fmt.Fprintln(w, "main loop:", err)
		return 1
	}
	fmt.Fprintf(w, "main loop returned %d\n", code)
	return code
}

// setup creates the objects and wires them.
func (d *demo) setup() error {
	var err error
	if d.producer, err = core.NewObject(core.WithLoop(d.main), core.WithName("producer")); err != nil {
		return err
	}
	if err := d.tick.Bind(d.producer.SignalHost()); err != nil {
		return err
	}
	if d.timer, err = core.NewTimer(core.WithParent(d.producer), core.WithSingleShot(),
		core.WithInterval(20*time.Millisecond)); err != nil {
		return err
	}
	if d.a, err = core.NewObject(core.WithLoop(d.main), core.WithName("A")); err != nil {
		return err
	}
	if d.b, err = core.NewObject(core.WithLoop(d.worker), core.WithName("B")); err != nil {
		return err
	}
	if err := d.bDone.Bind(d.b.SignalHost()); err != nil {
		return err
	}
	return d.connect()
}

// connect makes the demo's connections, in the order their slots run.
func (d *demo) connect() error {
	if _, err := d.timer.Timeout.Connect(d.onTimeout); err != nil {
		return err
	}
	// Direct: A shares the producer's loop, so Auto calls it inside Emit.
	if _, err := d.tick.Connect(func(n int) { d.say("A got tick %d (direct, inside Emit)", n) },
		signal.To(d.a)); err != nil {
		return err
	}
	if err := d.wireBus(); err != nil {
		return err
	}
	// Queued: B lives on worker, so Auto posts the call there.
	var err error
	d.bConn, err = d.tick.Connect(func(n int) {
		d.say("B got tick %d (queued)", n)
		d.bDone.Emit(n)
	}, signal.To(d.b))
	if err != nil {
		return err
	}
	if _, err := d.bDone.Connect(d.onBDone, signal.To(d.producer)); err != nil {
		return err
	}
	_, err = d.b.Destroyed.Connect(func(o *core.Object) { d.say("%s destroyed", o.ObjectName()) })
	return err
}

// wireBus publishes the producer's tick on the topic "producer.tick" and
// subscribes a signal of A's to it: name-based wiring.
func (d *demo) wireBus() error {
	bus := core.NewBus(nil)
	if _, err := core.PublishTo(bus, d.producer, "tick", &d.tick); err != nil {
		return err
	}
	var byName signal.Signal[int]
	if err := byName.Bind(d.a.SignalHost()); err != nil {
		return err
	}
	if _, err := core.SubscribeTo(bus, "producer.tick", &byName); err != nil {
		return err
	}
	_, err := byName.Connect(func(n int) { d.say("A got tick %d by name (producer.tick)", n) })
	return err
}

// onTimeout runs on main for each tick.
func (d *demo) onTimeout() {
	d.n++
	d.say("timer fired: tick %d", d.n)
	d.tick.Emit(d.n)
	if d.n == 3 {
		d.say("B's connection died with B: connected=%v", d.bConn.Connected())
		d.main.Quit()
	}
}

// onBDone runs on main after B handled a tick (queued back from worker).
func (d *demo) onBDone(n int) {
	d.say("B finished tick %d", n)
	if n == 2 {
		d.say("destroying B on its loop")
		_ = d.worker.Invoke(d.b.Destroy)
	}
	_ = d.timer.Start()
}
