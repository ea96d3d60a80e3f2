package remote_test

import (
	"context"
	"fmt"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/remote/remotetest"
	"github.com/slotnet/slotnet/signal"
)

// Thermometer is the object a source exposes.
type Thermometer struct {
	Reading     signal.Signal[float64]
	UnitChanged signal.Signal[string]
}

// A source exposes a signal, a property and a slot; a replica on its own
// loop receives them with their types.
func Example() {
	srv, _ := remotetest.Start() // an embedded nats-server, no listener
	defer srv.Shutdown()
	snc, _ := srv.Connect("source")
	defer snc.Close()
	rnc, _ := srv.Connect("replica")
	defer rnc.Close()

	var th Thermometer
	src, _ := remote.NewSource(snc, "thermo")
	_ = remote.ExposeSignal(src, "reading", &th.Reading, nil)
	_ = remote.ExposeProperty(src, "unit", "C", &th.UnitChanged, nil)
	_ = remote.ExposeSlot(src, "toKelvin", func(_ context.Context, c float64) (float64, error) {
		return c + 273.15, nil
	}, nil, nil)
	_ = src.Start()
	defer src.Close()

	loop := core.NewLoop()
	_ = loop.Start()
	defer loop.Close()
	rep, _ := remote.NewReplica(rnc, loop, "thermo", nil)
	defer rep.Destroy()
	var reading signal.Signal[float64]
	_ = remote.ReplicaSignal(rep, "reading", &reading, nil)
	unit, _ := remote.ReplicaProperty[string](rep, "unit", nil)
	toKelvin, _ := remote.ReplicaSlot[float64, float64](rep, "toKelvin", nil, nil)
	done := make(chan struct{})
	valid := make(chan struct{})
	_, _ = rep.StateChanged.Connect(func(c remote.StateChange) {
		fmt.Println("state", c.State)
		if c.State == remote.Valid {
			close(valid)
		}
	})
	_, _ = reading.Connect(func(v float64) {
		fmt.Printf("reading %.1f %s\n", v, unit.Value())
		if v > 21 {
			close(done)
		}
	})
	_ = rep.Start()
	<-valid
	th.Reading.Emit(20.5)
	th.Reading.Emit(21.5)
	<-done
	k, err := toKelvin.Call(context.Background(), 21.5)
	fmt.Printf("%.2f K %v\n", k, err)
	// Output:
	// state Default
	// state Valid
	// reading 20.5 C
	// reading 21.5 C
	// 294.65 K <nil>
}
