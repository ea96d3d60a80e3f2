// Command sensor is package remote's replica demo: a thermometer source and
// two replicas on their own loops, all through an embedded NATS server. The
// second replica's NATS client runs over slotnet's in-memory network; its
// link is cut mid-stream, so it goes Suspect, misses three readings, and
// after the heal takes a snapshot, reports Missed(3) and is Valid again.
// Each line is printed by the main goroutine in the order of the steps, so
// the output is the same on every run.
//
//	go run ./examples/sensor
package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/remote/remotetest"
	"github.com/slotnet/slotnet/signal"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Thermometer is the source object.
type Thermometer struct {
	Reading     signal.Signal[float64]
	UnitChanged signal.Signal[string]
}

// replica is one replica and the events its slots saw, in order.
type replica struct {
	name   string
	r      *remote.Replica
	events chan string
}

func newReplica(nc *nats.Conn, name string) (*replica, error) {
	loop := core.NewLoop(core.WithName(name))
	if err := loop.Start(); err != nil {
		return nil, err
	}
	r, err := remote.NewReplica(nc, loop, "thermo", nil)
	if err != nil {
		return nil, err
	}
	rep := &replica{name: name, r: r, events: make(chan string, 64)}
	var reading signal.Signal[float64]
	if err := remote.ReplicaSignal(r, "reading", &reading, nil); err != nil {
		return nil, err
	}
	unit, err := remote.ReplicaProperty[string](r, "unit", nil)
	if err != nil {
		return nil, err
	}
	say := func(format string, a ...any) { rep.events <- fmt.Sprintf(format, a...) }
	_, _ = reading.Connect(func(v float64) { say("reading %.1f", v) })
	_, _ = unit.Changed.Connect(func(u string) { say("unit %s", u) })
	_, _ = r.Missed.Connect(func(n int) { say("Missed(%d)", n) })
	_, _ = r.StateChanged.Connect(func(c remote.StateChange) { say("state %v", c.State) })
	r.AddDestroyHook(func() { go func() { _ = loop.Close() }() })
	return rep, r.Start()
}

// expect prints the replica's next n events.
func (rep *replica) expect(w io.Writer, n int) error {
	for range n {
		select {
		case e := <-rep.events:
			fmt.Fprintf(w, "%s: %s\n", rep.name, e)
		case <-time.After(10 * time.Second):
			return fmt.Errorf("%s: no event after 10s", rep.name)
		}
	}
	return nil
}

func run(w io.Writer) error {
	srv, err := remotetest.Start()
	if err != nil {
		return err
	}
	defer srv.Shutdown()
	// The in-memory network: B's client reaches the server through it.
	n := mem.New(mem.WithSeed(7))
	server := n.MustAddHost("nats", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	client := n.MustAddHost("b", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	ln, err := server.Listen(context.Background(), netip.MustParseAddrPort("10.0.0.1:4222"), transport.ListenOptions{})
	if err != nil {
		return err
	}
	bridge := srv.Serve(ln)
	defer bridge.Close()

	snc, err := srv.Connect("source")
	if err != nil {
		return err
	}
	defer snc.Close()
	var th Thermometer
	src, err := remote.NewSource(snc, "thermo")
	if err != nil {
		return err
	}
	defer src.Close()
	if err := remote.ExposeSignal(src, "reading", &th.Reading, nil); err != nil {
		return err
	}
	if err := remote.ExposeProperty(src, "unit", "C", &th.UnitChanged, nil); err != nil {
		return err
	}
	if err := src.Start(); err != nil {
		return err
	}
	return demo(w, srv, client, n, server, &th)
}

func demo(w io.Writer, srv *remotetest.Server, client *mem.Host, n *mem.Network, server *mem.Host, th *Thermometer) error {
	anc, err := srv.Connect("a")
	if err != nil {
		return err
	}
	defer anc.Close()
	// lost is signalled when B's client gives its connection up: from then
	// on, what the source publishes cannot reach B until it reconnects.
	lost := make(chan struct{}, 1)
	bnc, err := nats.Connect("nats://10.0.0.1:4222", nats.SetCustomDialer(remote.Dialer(client, time.Second)),
		nats.DisconnectErrHandler(func(*nats.Conn, error) {
			select {
			case lost <- struct{}{}:
			default:
			}
		}),
		nats.PingInterval(100*time.Millisecond), nats.MaxPingsOutstanding(5),
		nats.MaxReconnects(-1), nats.ReconnectWait(10*time.Millisecond), nats.NoCallbacksAfterClientClose())
	if err != nil {
		return err
	}
	defer bnc.Close()
	a, err := newReplica(anc, "A")
	if err != nil {
		return err
	}
	defer a.r.Destroy()
	b, err := newReplica(bnc, "B")
	if err != nil {
		return err
	}
	defer b.r.Destroy()
	steps := []func() error{
		func() error { return all(a.expect(w, 3), b.expect(w, 3)) }, // Default, unit C, Valid
		func() error { th.Reading.Emit(20.5); return all(a.expect(w, 1), b.expect(w, 1)) },
		func() error {
			fmt.Fprintln(w, "-- B's link is cut")
			n.Partition(client, server)
			select { // B's pings go unanswered; its client drops the link
			case <-lost:
			case <-time.After(10 * time.Second):
				return fmt.Errorf("sensor: B still connected 10s after the cut")
			}
			return b.expect(w, 1)
		},
		func() error {
			for _, v := range []float64{21, 21.5, 22} {
				th.Reading.Emit(v)
			}
			return a.expect(w, 3)
		},
		func() error { fmt.Fprintln(w, "-- B's link is back"); n.Heal(client, server); return b.expect(w, 2) },
		func() error { th.Reading.Emit(22.5); return all(a.expect(w, 1), b.expect(w, 1)) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

func all(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
