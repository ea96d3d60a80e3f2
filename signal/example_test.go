package signal_test

import (
	"errors"
	"fmt"

	"github.com/slotnet/slotnet/signal"
)

// A Counter is a minimal object with a signal, the way core.Object wires
// its own: the object owns a Host and binds its signals to it.
type Counter struct {
	host         signal.Host
	value        int
	ValueChanged signal.Signal[int]
}

func NewCounter() *Counter {
	c := new(Counter)
	_ = c.host.BindSignals(c) // cannot fail: a new Host, a pointer to a struct
	return c
}

func (c *Counter) SetValue(v int) {
	if v != c.value {
		c.value = v
		c.ValueChanged.Emit(v)
	}
}

func Example() {
	c := NewCounter()
	conn, _ := c.ValueChanged.Connect(func(v int) { fmt.Println("value is now", v) })
	c.SetValue(1)
	c.SetValue(1) // no change, no emission
	c.SetValue(2)
	conn.Disconnect()
	c.SetValue(3)
	// Output:
	// value is now 1
	// value is now 2
}

func ExampleSignal0() {
	var clicked signal.Signal0
	_, _ = clicked.Connect(func() { fmt.Println("first slot") })
	_, _ = clicked.Connect(func() { fmt.Println("second slot") })
	clicked.Emit()
	// Output:
	// first slot
	// second slot
}

func ExampleQueued() {
	// A receiver living on a loop; here the example drains its dispatcher
	// itself, where core.Loop would do it on the loop's goroutine.
	loop := signal.NewDispatcher()
	receiver := new(signal.Host)
	receiver.SetDispatcher(loop)

	var s signal.Signal[string]
	_, _ = s.Connect(func(v string) { fmt.Println("slot got", v) }, signal.Queued, signal.To(receiver))
	s.Emit("hello")
	fmt.Println("emitted; pending:", loop.Pending())
	loop.Drain()
	// Output:
	// emitted; pending: 1
	// slot got hello
}

func ExampleUniqueConnection() {
	var s signal.Signal[int]
	_, err := s.Connect(func(int) {}, signal.UniqueConnection("logger"))
	fmt.Println(err)
	_, err = s.Connect(func(int) {}, signal.UniqueConnection("logger"))
	fmt.Println(errors.Is(err, signal.ErrDuplicateConnection))
	// Output:
	// <nil>
	// true
}

func ExampleSingleShotConnection() {
	var ready signal.Signal0
	conn, _ := ready.Connect(func() { fmt.Println("ready") }, signal.SingleShotConnection())
	ready.Emit()
	ready.Emit()
	fmt.Println("connected:", conn.Connected())
	// Output:
	// ready
	// connected: false
}

func ExampleTo() {
	var s signal.Signal[int]
	receiver := new(signal.Host)
	_, _ = s.Connect(func(v int) { fmt.Println("got", v) }, signal.To(receiver))
	s.Emit(1)
	receiver.Destroy() // the connection dies with its receiver
	s.Emit(2)
	fmt.Println("connected:", s.IsConnected())
	// Output:
	// got 1
	// connected: false
}

func ExampleHost_BlockSignals() {
	c := NewCounter()
	_, _ = c.ValueChanged.Connect(func(v int) { fmt.Println("changed to", v) })
	c.host.BlockSignals(true)
	c.SetValue(1) // blocked: nothing is emitted
	c.host.BlockSignals(false)
	c.SetValue(2)
	// Output:
	// changed to 2
}

// A bound signal is part of its object: destroying the object's Host
// disconnects it for good.
func ExampleHost_BindSignals() {
	c := NewCounter()
	_, _ = c.ValueChanged.Connect(func(v int) { fmt.Println("value is now", v) })
	c.SetValue(1)
	c.host.Destroy()
	c.SetValue(2) // nothing is connected any more
	_, err := c.ValueChanged.Connect(func(int) {})
	fmt.Println(errors.Is(err, signal.ErrDestroyed))
	// Output:
	// value is now 1
	// true
}
