package core_test

import (
	"context"
	"fmt"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/signal"
)

// A loop runs posted functions in order on its own goroutine; Invoke waits
// for one.
func ExampleLoop() {
	loop := core.NewLoop(core.WithName("worker"))
	if err := loop.Start(); err != nil {
		panic(err)
	}
	defer loop.Close()

	for i := 1; i <= 3; i++ {
		_ = loop.Post(func() { fmt.Println("posted", i) })
	}
	_ = loop.Invoke(func() { fmt.Println("invoked, on worker:", loop.IsCurrent()) })
	// Output:
	// posted 1
	// posted 2
	// posted 3
	// invoked, on worker: true
}

// Run runs the loop on the calling goroutine until Exit.
func ExampleLoop_Run() {
	loop := core.NewLoop()
	defer loop.Close()
	_ = core.SingleShot(loop, 10*time.Millisecond, func() {
		fmt.Println("timer fired")
		loop.Exit(7)
	})
	code, err := loop.Run(context.Background())
	fmt.Println(code, err)
	// Output:
	// timer fired
	// 7 <nil>
}

// Destroying a parent emits its Destroyed first, then destroys its
// children, depth-first (Qt 5's order).
func ExampleObject_Destroy() {
	root, _ := core.NewObject(core.WithName("root"))
	a, _ := core.NewObject(core.WithParent(root), core.WithName("a"))
	_, _ = core.NewObject(core.WithParent(a), core.WithName("a1"))
	_, _ = core.NewObject(core.WithParent(root), core.WithName("b"))

	for _, o := range append([]*core.Object{root}, root.FindChildren("")...) {
		_, _ = o.Destroyed.Connect(func(o *core.Object) { fmt.Println("destroyed", o.ObjectName()) })
	}
	root.Destroy()
	// Output:
	// destroyed root
	// destroyed a
	// destroyed a1
	// destroyed b
}

// A queued connection runs the slot on the receiver's loop; in a test or a
// program's own main loop, ProcessEvents makes it run.
func ExampleObject_MoveToLoop() {
	loop := core.NewLoop(core.WithName("net"))
	defer loop.Close()
	recv, _ := core.NewObject() // blocking mode
	_ = recv.MoveToLoop(loop)   // now lives on net

	var ping signal.Signal[string]
	_, _ = ping.Connect(func(s string) { fmt.Println("slot got", s, "on net:", loop.IsCurrent()) },
		signal.To(recv), signal.Queued)
	ping.Emit("hello")
	fmt.Println("emitted")
	loop.ProcessEvents()
	// Output:
	// emitted
	// slot got hello on net: true
}

// In blocking mode (no loop) an object's internal events wait until the
// goroutine using it asks for them.
func ExampleObject_WaitForEvents() {
	obj, _ := core.NewObject()
	go obj.PostEvent(func() { fmt.Println("event ran on the waiting goroutine") })
	n, err := obj.WaitForEvents(context.Background())
	fmt.Println(n, err)
	// Output:
	// event ran on the waiting goroutine
	// 1 <nil>
}

// A periodic timer emits Timeout on its loop.
func ExampleTimer() {
	loop := core.NewLoop()
	defer loop.Close()
	timer, _ := core.NewTimer(core.WithLoop(loop), core.WithInterval(5*time.Millisecond))
	n := 0
	_, _ = timer.Timeout.Connect(func() {
		n++
		fmt.Println("tick", n)
		if n == 3 {
			timer.Stop()
			loop.Quit()
		}
	})
	_ = timer.Start()
	_, _ = loop.Run(context.Background())
	fmt.Println("active:", timer.IsActive(), "remaining:", timer.RemainingTime())
	// Output:
	// tick 1
	// tick 2
	// tick 3
	// active: false remaining: -1ns
}

// Name-based wiring: a signal published on "<objectName>.<signalName>" and
// a topic re-emitted on a typed signal.
func ExampleSubscribeTo() {
	bus := core.NewBus(nil, core.WithErrorHandler(func(err error) { fmt.Println(err) }))
	sock, _ := core.NewObject(core.WithName("sock"))
	var bytesWritten signal.Signal[int]
	_, _ = core.PublishTo(bus, sock, "bytesWritten", &bytesWritten)

	var onWritten signal.Signal[int]
	_, _ = core.SubscribeTo(bus, "sock.bytesWritten", &onWritten)
	_, _ = onWritten.Connect(func(n int) { fmt.Println("wrote", n, "bytes") })

	bytesWritten.Emit(42)
	bus.EventBus().Publish("sock.bytesWritten", "many") // wrong type: reported
	// Output:
	// wrote 42 bytes
	// core: bus topic "sock.bytesWritten": event (string) does not fit signal (int)
}
