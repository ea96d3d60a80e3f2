package core_test

import (
	"fmt"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/signal"
)

// Example_twoLoops is the README's example: a signal emitted on a worker
// loop reaches a slot on the ui loop through an Auto (here: queued)
// connection. Keep the two in step.
func Example_twoLoops() {
	ui, worker := core.NewLoop(core.WithName("ui")), core.NewLoop(core.WithName("worker"))
	ui.Start()
	worker.Start()
	defer ui.Close()
	defer worker.Close()

	producer, _ := core.NewObject(core.WithLoop(worker)) // lives on the worker loop
	consumer, _ := core.NewObject(core.WithLoop(ui))     // lives on the ui loop

	var progress signal.Signal[int]
	progress.Bind(producer.SignalHost()) // the producer emits it

	done := make(chan struct{})
	progress.Connect(func(p int) { // Auto: queued, because the loops differ
		fmt.Println(ui.IsCurrent(), "ui got", p)
		if p == 100 {
			close(done)
		}
	}, signal.To(consumer))

	worker.Post(func() { progress.Emit(50); progress.Emit(100) })
	<-done
	// Output:
	// true ui got 50
	// true ui got 100
}
