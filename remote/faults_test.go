package remote_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/remote"
)

// checkExact asserts the replica's accounting: readings strictly in order,
// each once, and readings plus missed equal to what the source emitted.
func checkExact(t *testing.T, w *watcher, emitted int) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	last := 0
	for _, r := range w.readings {
		require.Greater(t, r.N, last, "order per source, no duplicates")
		last = r.N
	}
	assert.Equal(t, emitted, len(w.readings)+w.missed, "emitted = received + missed")
}

func statesInclude(w *watcher, seq ...remote.State) bool {
	i := 0
	for _, s := range w.states {
		if i < len(seq) && s == seq[i] {
			i++
		}
	}
	return i == len(seq)
}

func TestServerRestartMidStream(t *testing.T) {
	srv := startServer(t)
	var s sensor
	exposeSensor(t, connect(t, srv, "source"), "sensor", &s)
	rep := replicate(t, connect(t, srv, "replica"), startLoop(t), "sensor")
	rep.w.until(t, "Valid", valid)
	const n = 3000
	var emitted atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= n; i++ {
			s.Reading.Emit(Reading{N: i})
			emitted.Store(int32(i))
		}
	}()
	rep.w.until(t, "first readings", func(w *watcher) bool { return len(w.readings) > 10 })
	require.NoError(t, srv.Restart())
	<-done
	rep.w.until(t, "all accounted for", func(w *watcher) bool {
		return valid(w) && len(w.readings)+w.missed == n && statesInclude(w, remote.Valid, remote.Suspect, remote.Valid)
	})
	checkExact(t, rep.w, n)
	t.Logf("received %d, missed %d", len(rep.w.readings), rep.w.missed)
}

func TestSlowConsumer(t *testing.T) {
	srv := startServer(t)
	var s sensor
	exposeSensor(t, connect(t, srv, "source"), "sensor", &s)
	rep := replicate(t, connect(t, srv, "replica"), startLoop(t), "sensor",
		remote.WithPendingLimit(1), remote.WithPendingMessages(8))
	release := make(chan struct{})
	var once atomic.Bool
	_, err := rep.Reading.Connect(func(Reading) {
		if once.CompareAndSwap(false, true) {
			<-release // the loop stalls on the first reading
		}
	})
	require.NoError(t, err)
	rep.w.until(t, "Valid", valid)
	const n = 500
	for i := 1; i <= n; i++ {
		s.Reading.Emit(Reading{N: i})
	}
	require.NoError(t, connect(t, srv, "flusher").Flush())
	close(release)
	rep.w.until(t, "all accounted for", func(w *watcher) bool {
		return valid(w) && len(w.readings)+w.missed == n
	})
	checkExact(t, rep.w, n)
	assert.Positive(t, rep.w.missed, "the client dropped messages")
	assert.True(t, statesInclude(rep.w, remote.Valid, remote.Suspect, remote.Valid), "states %v", rep.w.states)
}

// TestGapCountedExactly forges a source's stream with a hole of two
// signals and one property change.
func TestGapCountedExactly(t *testing.T) {
	srv := startServer(t)
	var s sensor
	exposeSensor(t, connect(t, srv, "source"), "sensor", &s)
	nc := connect(t, srv, "replica")
	rep := replicate(t, nc, startLoop(t), "sensor")
	rep.w.until(t, "Valid", valid)
	s.Reading.Emit(Reading{N: 1})
	rep.w.until(t, "reading 1", func(w *watcher) bool { return len(w.readings) == 1 })
	// Find the source's epoch from a real message, then forge the next ones.
	raw := connect(t, srv, "forger")
	ch := make(chan *nats.Msg, 1)
	sub, err := raw.ChanSubscribe("slotnet.sensor.pub.>", ch)
	require.NoError(t, err)
	require.NoError(t, raw.Flush())
	s.Reading.Emit(Reading{N: 2})
	m := <-ch
	require.NoError(t, sub.Unsubscribe())
	var epoch string
	_, err = fmt.Sscanf(m.Header.Get(remote.HeaderSeq), "%s", &epoch)
	require.NoError(t, err)
	epoch = epoch[:len(epoch)-len("/2/2")]
	// seq 3,4 (signals), 5 (property) lost; seq 6 is signal number 5.
	forge := nats.NewMsg("slotnet.sensor.pub.reading")
	forge.Header.Set(remote.HeaderProto, "1.7") // a newer minor version is accepted
	forge.Header.Set(remote.HeaderSeq, epoch+"/6/5/extra-field")
	forge.Header.Set("Slotnet-Future", "ignored")
	forge.Data = []byte(`{"n":6,"value":0,"future":true}`)
	require.NoError(t, raw.PublishMsg(forge))
	rep.w.until(t, "reading 6", func(w *watcher) bool { return len(w.readings) == 3 })
	rep.w.mu.Lock()
	defer rep.w.mu.Unlock()
	assert.Equal(t, 2, rep.w.missed)
	assert.Equal(t, 6, rep.w.readings[2].N)
}
