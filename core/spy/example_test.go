package spy_test

import (
	"context"
	"fmt"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/spy"
	"github.com/slotnet/slotnet/signal"
)

// Record the emissions of plain signals and render them.
func Example() {
	var (
		started  signal.Signal0
		progress signal.Signal[int]
	)
	r := spy.New()
	_ = spy.On0(r, "started", &started)
	_ = spy.On(r, "progress", &progress)

	started.Emit()
	progress.Emit(50)
	progress.Emit(100)

	fmt.Println(r.Count("progress"), r.Args("progress"))
	for _, line := range r.Sequence() {
		fmt.Println(line)
	}
	// Output:
	// 2 [50 100]
	// started
	// progress 50
	// progress 100
}

// Wait for a timer on a loop of its own, and see where its slot ran.
func ExampleRecorder_Wait() {
	loop := core.NewLoop(core.WithName("worker"))
	_ = loop.Start()
	defer loop.Close()
	tm, _ := core.NewTimer(core.WithLoop(loop), core.WithInterval(time.Millisecond), core.WithSingleShot())

	r := spy.New()
	_ = spy.On0(r, "timeout", &tm.Timeout)
	_ = loop.Invoke(func() { _ = tm.Start() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Wait(ctx, "timeout", 1); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Sequence(), "on", r.Events()[0].Loop)
	// Output: [timeout] on worker
}

// An object without a loop (blocking mode) runs its events only when asked:
// WaitOn runs them while it waits.
func ExampleRecorder_WaitOn() {
	obj, _ := core.NewObject()
	defer obj.Destroy()
	var ready signal.Signal[string]
	ready.Bind(obj.SignalHost())

	r := spy.New()
	_ = spy.On(r, "ready", &ready)
	go obj.PostEvent(func() { ready.Emit("hello") }) // a background reader

	err := r.WaitOn(context.Background(), obj, "ready", 1)
	fmt.Println(err, r.Sequence())
	// Output: <nil> [ready hello]
}

// Render arguments your own way.
func ExampleWithFormat() {
	var bytes signal.Signal[int64]
	r := spy.New(spy.WithFormat(func(_ string, arg any) string {
		return fmt.Sprintf("%d B", arg)
	}))
	_ = spy.On(r, "bytesWritten", &bytes)
	bytes.Emit(512)
	fmt.Println(r.Sequence())
	// Output: [bytesWritten 512 B]
}

func ExampleDiff() {
	fmt.Print(spy.Diff(
		[]string{"connected", "readyRead", "disconnected"},
		[]string{"connected", "disconnected"}))
	// Output:
	// --- want
	// +++ got
	// @@ -1,3 +1,2 @@
	//  connected
	// -readyRead
	//  disconnected
}
