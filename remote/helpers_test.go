package remote_test

import (
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/remote/remotetest"
	"github.com/slotnet/slotnet/signal"
)

// Reading is the test sensor's signal value.
type Reading struct {
	N     int     `json:"n"`
	Value float64 `json:"value"`
}

// sensor is a source-side object with a signal and a property.
type sensor struct {
	Reading     signal.Signal[Reading]
	UnitChanged signal.Signal[string]
}

func startServer(t *testing.T) *remotetest.Server {
	t.Helper()
	srv, err := remotetest.Start()
	require.NoError(t, err)
	t.Cleanup(srv.Shutdown)
	return srv
}

func connect(t *testing.T, srv *remotetest.Server, name string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	nc, err := srv.Connect(name, opts...)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}

func startLoop(t *testing.T) *core.Loop {
	t.Helper()
	l := core.NewLoop(core.WithLogger(zaptest.NewLogger(t)))
	require.NoError(t, l.Start())
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// exposeSensor starts a source "sensor" for s with unit "C".
func exposeSensor(t *testing.T, nc *nats.Conn, name string, s *sensor, opts ...remote.Option) *remote.Source {
	t.Helper()
	src, err := remote.NewSource(nc, name, append([]remote.Option{remote.WithLogger(zaptest.NewLogger(t))}, opts...)...)
	require.NoError(t, err)
	require.NoError(t, remote.ExposeSignal(src, "reading", &s.Reading, nil))
	require.NoError(t, remote.ExposeProperty(src, "unit", "C", &s.UnitChanged, nil))
	require.NoError(t, src.Start())
	t.Cleanup(func() { _ = src.Close() })
	return src
}

// watcher records what a replica emits, on its loop.
type watcher struct {
	mu       sync.Mutex
	readings []Reading
	missed   int
	states   []remote.State
	units    []string
	errs     []error
	poke     chan struct{}
}

// sensorReplica is a started replica of a sensor with a watcher.
type sensorReplica struct {
	*remote.Replica
	Reading signal.Signal[Reading]
	Unit    *remote.Property[string]
	w       *watcher
}

func replicate(t *testing.T, nc *nats.Conn, loop *core.Loop, name string, opts ...remote.Option) *sensorReplica {
	t.Helper()
	r, err := remote.NewReplica(nc, loop, name, append([]remote.Option{remote.WithLogger(zaptest.NewLogger(t))}, opts...))
	require.NoError(t, err)
	sr := &sensorReplica{Replica: r, w: &watcher{poke: make(chan struct{}, 1)}}
	require.NoError(t, remote.ReplicaSignal(r, "reading", &sr.Reading, nil))
	sr.Unit, err = remote.ReplicaProperty[string](r, "unit", nil)
	require.NoError(t, err)
	w := sr.w
	_, err = sr.Reading.Connect(func(v Reading) { w.do(func() { w.readings = append(w.readings, v) }) })
	require.NoError(t, err)
	_, err = r.Missed.Connect(func(n int) { w.do(func() { w.missed += n }) })
	require.NoError(t, err)
	_, err = r.StateChanged.Connect(func(c remote.StateChange) { w.do(func() { w.states = append(w.states, c.State) }) })
	require.NoError(t, err)
	_, err = sr.Unit.Changed.Connect(func(u string) { w.do(func() { w.units = append(w.units, u) }) })
	require.NoError(t, err)
	_, err = r.Error.Connect(func(e error) { w.do(func() { w.errs = append(w.errs, e) }) })
	require.NoError(t, err)
	require.NoError(t, r.Start())
	t.Cleanup(func() { require.NoError(t, r.Close()) })
	return sr
}

func (w *watcher) do(fn func()) {
	w.mu.Lock()
	fn()
	w.mu.Unlock()
	select {
	case w.poke <- struct{}{}:
	default:
	}
}

// until waits for cond (checked under the watcher's lock) after each event;
// the timeout is only a safety net.
func (w *watcher) until(t *testing.T, what string, cond func(w *watcher) bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		w.mu.Lock()
		ok := cond(w)
		w.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-w.poke:
		case <-deadline:
			w.mu.Lock()
			defer w.mu.Unlock()
			t.Fatalf("timed out waiting for %s: states %v, %d readings, missed %d, errors %v", what, w.states, len(w.readings), w.missed, w.errs)
		}
	}
}

func valid(w *watcher) bool {
	return len(w.states) > 0 && w.states[len(w.states)-1] == remote.Valid
}
