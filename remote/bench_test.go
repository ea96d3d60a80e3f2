package remote_test

import (
	"encoding/json"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/remote"
	"github.com/slotnet/slotnet/remote/remotetest"
	"github.com/slotnet/slotnet/signal"
)

// benchReading is the payload of every path: 36 bytes of JSON.
var benchReading = Reading{N: 123456, Value: 21.5}

// path is one way for a value to go from an emitter to a slot. send
// emits one value; the slot counts it in got and pokes ping.
type path struct {
	send func()
	got  *counter
}

// counter counts deliveries and wakes a waiting latency loop.
type counter struct {
	atomic.Int64
	ping chan struct{}
}

func newCounter() *counter { return &counter{ping: make(chan struct{}, 1)} }

func (c *counter) Add(n int64) {
	c.Int64.Add(n)
	select {
	case c.ping <- struct{}{}:
	default:
	}
}

func benchPaths(b *testing.B) map[string]func(b *testing.B) path {
	return map[string]func(b *testing.B) path{
		"raw-nats":      rawPath,
		"raw-nats-json": rawJSONPath,
		"remote":        remotePath,
		"local-queued":  localPath,
	}
}

func benchServer(b *testing.B) (*nats.Conn, *nats.Conn) {
	srv, err := remotetest.Start()
	require.NoError(b, err)
	b.Cleanup(srv.Shutdown)
	pub, err := srv.Connect("pub")
	require.NoError(b, err)
	sub, err := srv.Connect("sub")
	require.NoError(b, err)
	b.Cleanup(func() { pub.Close(); sub.Close() })
	return pub, sub
}

// rawPath: nats.go publish of the encoded bytes, a subscription callback.
func rawPath(b *testing.B) path {
	pub, sub := benchServer(b)
	data, _ := json.Marshal(benchReading)
	got := newCounter()
	s, err := sub.Subscribe("raw", func(*nats.Msg) { got.Add(1) })
	require.NoError(b, err)
	require.NoError(b, s.SetPendingLimits(-1, -1))
	require.NoError(b, sub.Flush())
	return path{send: func() { _ = pub.Publish("raw", data) }, got: got}
}

// rawJSONPath: as rawPath, with encoding/json on both ends.
func rawJSONPath(b *testing.B) path {
	pub, sub := benchServer(b)
	got := newCounter()
	s, err := sub.Subscribe("raw", func(m *nats.Msg) {
		var r Reading
		if json.Unmarshal(m.Data, &r) == nil {
			got.Add(1)
		}
	})
	require.NoError(b, err)
	require.NoError(b, s.SetPendingLimits(-1, -1))
	require.NoError(b, sub.Flush())
	return path{send: func() {
		data, _ := json.Marshal(benchReading)
		_ = pub.Publish("raw", data)
	}, got: got}
}

// remotePath: a source's signal to a replica's signal, whose slot runs on
// the replica's loop.
func remotePath(b *testing.B) path {
	pub, sub := benchServer(b)
	var s sensor
	src, err := remote.NewSource(pub, "bench")
	require.NoError(b, err)
	require.NoError(b, remote.ExposeSignal(src, "reading", &s.Reading, nil))
	require.NoError(b, src.Start())
	b.Cleanup(func() { _ = src.Close() })
	loop := benchLoop(b)
	r, err := remote.NewReplica(sub, loop, "bench", []remote.Option{remote.WithPendingMessages(1 << 30)})
	require.NoError(b, err)
	var reading signal.Signal[Reading]
	require.NoError(b, remote.ReplicaSignal(r, "reading", &reading, nil))
	got := newCounter()
	_, _ = reading.Connect(func(Reading) { got.Add(1) })
	_, _ = r.Missed.Connect(func(n int) { got.Add(int64(n)); b.Errorf("missed %d", n) })
	valid := make(chan struct{})
	var once sync.Once
	_, _ = r.StateChanged.Connect(func(c remote.StateChange) {
		if c.State == remote.Valid {
			once.Do(func() { close(valid) })
		}
	})
	require.NoError(b, r.Start())
	b.Cleanup(func() { _ = r.Close() })
	<-valid
	return path{send: func() { s.Reading.Emit(benchReading) }, got: got}
}

// localPath: a queued connection to an object on a loop in this process.
func localPath(b *testing.B) path {
	loop := benchLoop(b)
	obj, err := core.NewObject(core.WithLoop(loop))
	require.NoError(b, err)
	var sig signal.Signal[Reading]
	got := newCounter()
	_, err = sig.Connect(func(Reading) { got.Add(1) }, signal.Queued, signal.To(obj))
	require.NoError(b, err)
	return path{send: func() { sig.Emit(benchReading) }, got: got}
}

func benchLoop(b *testing.B) *core.Loop {
	l := core.NewLoop()
	require.NoError(b, l.Start())
	b.Cleanup(func() { _ = l.Close() })
	return l
}

// waitFor spins (yielding) until got reaches n.
func waitFor(got *counter, n int64) {
	for got.Load() < n {
		time.Sleep(10 * time.Microsecond)
	}
}

// BenchmarkThroughput emits b.N values back to back and waits for all of
// them: ns/op is the time per delivered value.
func BenchmarkThroughput(b *testing.B) {
	for name, mk := range benchPaths(b) {
		b.Run(name, func(b *testing.B) {
			p := mk(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				p.send()
			}
			waitFor(p.got, int64(b.N))
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchmarkLatency emits one value at a time and waits for its slot:
// p50 and p99 of emit → slot.
func BenchmarkLatency(b *testing.B) {
	for name, mk := range benchPaths(b) {
		b.Run(name, func(b *testing.B) {
			p := mk(b)
			lat := make([]time.Duration, b.N)
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				p.send()
				for p.got.Load() <= int64(i) {
					<-p.got.ping
				}
				lat[i] = time.Since(start)
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}
