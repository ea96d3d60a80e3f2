package remote_test

import (
	"context"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/signal"
)

// alarms is a replica of the "plant" source's durable signal.
type alarms struct {
	r   *remote.Replica
	got chan int
}

func replicateAlarms(t *testing.T, nc *nats.Conn, loop *core.Loop) *alarms {
	t.Helper()
	r, err := remote.NewReplica(nc, loop, "plant", []remote.Option{
		remote.WithDurableName("panel"), remote.WithLogger(zaptest.NewLogger(t)),
	})
	require.NoError(t, err)
	a := &alarms{r: r, got: make(chan int, 100)}
	var sig signal.Signal[int]
	require.NoError(t, remote.ReplicaSignal(r, "alarm", &sig, nil, remote.Durable()))
	_, err = sig.Connect(func(v int) { a.got <- v })
	require.NoError(t, err)
	require.NoError(t, r.Start())
	return a
}

func (a *alarms) take(t *testing.T, n int) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i] = <-a.got
	}
	return out
}

func TestDurableReplayAfterReplicaRestart(t *testing.T) {
	srv := startServer(t)
	var alarm signal.Signal[int]
	nc := connect(t, srv, "plant")
	src, err := remote.NewSource(nc, "plant", remote.WithLogger(zaptest.NewLogger(t)))
	require.NoError(t, err)
	require.NoError(t, remote.ExposeSignal(src, "alarm", &alarm, nil, remote.Durable()))
	require.NoError(t, src.Start())
	defer src.Close()

	rnc, loop := connect(t, srv, "panel"), startLoop(t)
	a := replicateAlarms(t, rnc, loop)
	for i := 1; i <= 5; i++ {
		alarm.Emit(i)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5}, a.take(t, 5))
	a.r.Destroy() // the replica goes away; its durable consumer stays

	for i := 6; i <= 10; i++ {
		alarm.Emit(i)
	}
	// The same message id published twice (a retried publish) is stored once.
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	for range 2 {
		m := nats.NewMsg("slotnet.plant.durable.alarm")
		m.Header.Set(jetstream.MsgIDHeader, "retry-1")
		m.Data = []byte("11")
		_, err := js.PublishMsg(context.Background(), m)
		require.NoError(t, err)
	}
	alarm.Emit(12)

	b := replicateAlarms(t, rnc, loop)
	defer b.r.Destroy()
	assert.Equal(t, []int{6, 7, 8, 9, 10, 11, 12}, b.take(t, 7), "replayed in order, once each")
	require.NoError(t, loop.Invoke(func() {}))
	assert.Empty(t, b.got)
}
