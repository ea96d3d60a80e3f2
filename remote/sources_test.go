package remote_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/signal"
)

func TestTwoSources(t *testing.T) {
	srv := startServer(t)
	var a, b sensor
	exposeSensor(t, connect(t, srv, "a"), "a", &a)
	exposeSensor(t, connect(t, srv, "b"), "b", &b)
	nc, loop := connect(t, srv, "replicas"), startLoop(t)
	ra := replicate(t, nc, loop, "a")
	rb := replicate(t, nc, loop, "b")
	ra.w.until(t, "a Valid", valid)
	rb.w.until(t, "b Valid", valid)
	for i := 1; i <= 50; i++ {
		a.Reading.Emit(Reading{N: i, Value: 1})
		b.Reading.Emit(Reading{N: i, Value: 2})
	}
	b.UnitChanged.Emit("K")
	ra.w.until(t, "a's 50", func(w *watcher) bool { return len(w.readings) == 50 })
	rb.w.until(t, "b's 50 and K", func(w *watcher) bool { return len(w.readings) == 50 && len(w.units) == 2 })
	for _, c := range []struct {
		r *sensorReplica
		v float64
	}{{ra, 1}, {rb, 2}} {
		checkExact(t, c.r.w, 50)
		for _, r := range c.r.w.readings {
			require.Equal(t, c.v, r.Value, "a replica gets its own source only")
		}
	}
	assert.Equal(t, "C", ra.Unit.Value())
	assert.Equal(t, "K", rb.Unit.Value())

	infos, err := remote.Discover(context.Background(), nc, 2*time.Second)
	require.NoError(t, err)
	names := map[string]string{}
	for _, i := range infos {
		names[i.Name] = i.Signature
		assert.Equal(t, remote.ProtoVersion, i.Proto)
		assert.Contains(t, i.Endpoints, "snapshot")
	}
	assert.Equal(t, map[string]string{"a": ra.Signature(), "b": rb.Signature()}, names)
}

func TestSignatureMismatch(t *testing.T) {
	srv := startServer(t)
	var s sensor
	exposeSensor(t, connect(t, srv, "source"), "sensor", &s)
	r, err := remote.NewReplica(connect(t, srv, "replica"), startLoop(t), "sensor", []remote.Option{remote.WithLogger(zaptest.NewLogger(t))})
	require.NoError(t, err)
	var readings signal.Signal[string] // the source's reading is a struct
	require.NoError(t, remote.ReplicaSignal(r, "reading", &readings, nil))
	_, err = remote.ReplicaProperty[string](r, "unit", nil)
	require.NoError(t, err)
	got := make(chan remote.StateChange, 4)
	_, err = r.StateChanged.Connect(func(c remote.StateChange) { got <- c })
	require.NoError(t, err)
	emitted := make(chan string, 1)
	_, err = readings.Connect(func(v string) { emitted <- v })
	require.NoError(t, err)
	slot, err := remote.ReplicaSlot[int, int](r, "none", nil, nil)
	require.NoError(t, err)
	require.NoError(t, r.Start())
	defer r.Destroy()
	assert.Equal(t, remote.StateChange{State: remote.Default, Old: remote.Uninitialized}, <-got)
	assert.Equal(t, remote.StateChange{State: remote.SignatureMismatch, Old: remote.Default}, <-got)
	s.Reading.Emit(Reading{N: 1})
	_, err = slot.Call(context.Background(), 1)
	assert.ErrorIs(t, err, remote.ErrSignatureMismatch)
	require.NoError(t, r.Loop().Invoke(func() {})) // the reading, if delivered, would be on the loop by now
	assert.Empty(t, emitted)
}

func TestRemoteSlots(t *testing.T) {
	srv := startServer(t)
	src, err := remote.NewSource(connect(t, srv, "source"), "calc")
	require.NoError(t, err)
	block := make(chan struct{})
	defer close(block)
	require.NoError(t, remote.ExposeSlot(src, "double", func(ctx context.Context, x int) (int, error) {
		switch {
		case x < 0:
			return 0, remote.NewSlotError("422", "negative")
		case x == 13:
			return 0, errors.New("unlucky")
		case x == 0:
			<-block
		}
		return 2 * x, nil
	}, nil, nil))
	require.NoError(t, src.Start())
	defer src.Close()

	nc, loop := connect(t, srv, "replica"), startLoop(t)
	r, err := remote.NewReplica(nc, loop, "calc", []remote.Option{remote.WithCallTimeout(100 * time.Millisecond)})
	require.NoError(t, err)
	double, err := remote.ReplicaSlot[int, int](r, "double", nil, nil)
	require.NoError(t, err)
	require.NoError(t, r.Start())
	defer r.Destroy()
	ctx := context.Background()

	v, err := double.Call(ctx, 21)
	require.NoError(t, err)
	assert.Equal(t, 42, v)

	_, err = double.Call(ctx, -1)
	var se *remote.SlotError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, remote.SlotError{Slot: "double", Code: "422", Message: "negative"}, *se)

	_, err = double.Call(ctx, 13)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, remote.CodeInternal, se.Code)

	_, err = double.Call(ctx, 0) // blocks on the source: the call timeout
	assert.ErrorIs(t, err, remote.ErrTimeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = double.Call(cctx, 1)
	assert.ErrorIs(t, err, context.Canceled)

	// With an hour of call timeout, only nats's "no responders" status
	// can end this call within the test's time.
	other, err := remote.NewReplica(nc, loop, "nobody", []remote.Option{remote.WithCallTimeout(time.Hour)})
	require.NoError(t, err)
	defer other.Destroy()
	ghost, err := remote.ReplicaSlot[int, int](other, "double", nil, nil)
	require.NoError(t, err)
	_, err = ghost.Call(ctx, 1)
	assert.ErrorIs(t, err, remote.ErrNoResponders)
}
