package remote_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/remote"
)

func TestReplicaFollowsSource(t *testing.T) {
	srv := startServer(t)
	var s sensor
	exposeSensor(t, connect(t, srv, "source"), "sensor", &s)
	rep := replicate(t, connect(t, srv, "replica"), startLoop(t), "sensor")
	rep.w.until(t, "Valid", valid)
	for i := 1; i <= 100; i++ {
		s.Reading.Emit(Reading{N: i, Value: float64(i) / 2})
	}
	s.UnitChanged.Emit("F")
	rep.w.until(t, "100 readings and unit F", func(w *watcher) bool { return len(w.readings) == 100 && len(w.units) == 2 })
	w := rep.w
	w.mu.Lock()
	defer w.mu.Unlock()
	assert.Equal(t, []remote.State{remote.Default, remote.Valid}, w.states)
	for i, r := range w.readings {
		require.Equal(t, i+1, r.N, "order per source")
	}
	assert.Equal(t, []string{"C", "F"}, w.units)
	assert.Equal(t, "F", rep.Unit.Value())
	assert.Zero(t, w.missed)
}
