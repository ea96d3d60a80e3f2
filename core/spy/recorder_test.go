package spy_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/spy"
	"github.com/slotnet/slotnet/signal"
)

// point has a String method, which Sequence uses.
type point struct{ X, Y int }

func (p point) String() string { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }

func TestRecordsPlainSignals(t *testing.T) {
	var (
		ping  signal.Signal0
		count signal.Signal[int]
		moved signal.Signal[point]
		fail  signal.Signal[error]
	)
	r := spy.New()
	require.NoError(t, spy.On0(r, "ping", &ping))
	require.NoError(t, spy.On(r, "count", &count))
	require.NoError(t, spy.On(r, "moved", &moved))
	require.NoError(t, spy.On(r, "fail", &fail))

	ping.Emit()
	count.Emit(1)
	moved.Emit(point{2, 3})
	count.Emit(2)
	fail.Emit(nil)
	fail.Emit(errors.New("boom"))

	assert.Equal(t, 6, r.Len())
	assert.Equal(t, 2, r.Count("count"))
	assert.Equal(t, 1, r.Count("ping"))
	assert.Equal(t, 0, r.Count("nothing"))
	assert.Equal(t, 6, r.Count(""), `"" counts every signal`)
	assert.Equal(t, []string{"ping", "count", "moved", "count", "fail", "fail"}, r.Names())
	assert.Equal(t, []any{1, 2}, r.Args("count"))
	assert.Equal(t, []any{nil}, r.Args("ping"))
	assert.Equal(t, []string{
		"ping", "count 1", "moved (2,3)", "count 2", "fail <nil>", "fail boom",
	}, r.Sequence(), "a nil argument of a Signal[T] is shown, a Signal0 has none")

	ev := r.Events()
	for i, e := range ev {
		assert.Equal(t, i+1, e.Seq)
		assert.Nil(t, e.Loop, "emitted by the test, on no loop")
		assert.False(t, e.Time.IsZero())
	}
	assert.Equal(t, point{2, 3}, ev[2].Arg)
}

func TestTakeAndClear(t *testing.T) {
	var s signal.Signal[string]
	r := spy.New()
	require.NoError(t, spy.On(r, "s", &s))
	s.Emit("a")
	s.Emit("b")
	taken := r.Take()
	require.Len(t, taken, 2)
	assert.Equal(t, "a", taken[0].Arg)
	assert.Equal(t, 0, r.Len())

	s.Emit("c")
	ev := r.Events()
	require.Len(t, ev, 1)
	assert.Equal(t, 3, ev[0].Seq, "Seq goes on after Take")
	r.Clear()
	assert.Equal(t, 0, r.Count("s"))
	assert.Empty(t, r.Sequence())
}

func TestEventsIsACopy(t *testing.T) {
	var s signal.Signal[int]
	r := spy.New()
	require.NoError(t, spy.On(r, "s", &s))
	s.Emit(1)
	ev := r.Events()
	ev[0].Name = "changed"
	assert.Equal(t, []string{"s"}, r.Names())
}

func TestWithFormat(t *testing.T) {
	var (
		state signal.Signal[int]
		done  signal.Signal0
		quiet signal.Signal[int]
	)
	r := spy.New(spy.WithFormat(func(name string, arg any) string {
		if name == "quiet" {
			return "" // the name alone
		}
		return fmt.Sprintf("<%s:%v>", name, arg)
	}))
	require.NoError(t, spy.On(r, "state", &state))
	require.NoError(t, spy.On0(r, "done", &done))
	require.NoError(t, spy.On(r, "quiet", &quiet))
	state.Emit(7)
	done.Emit()
	quiet.Emit(1)
	assert.Equal(t, []string{"state <state:7>", "done", "quiet"}, r.Sequence())
}

func TestOnErrors(t *testing.T) {
	var s signal.Signal[int]
	var s0 signal.Signal0
	r := spy.New()
	assert.ErrorIs(t, spy.On(nil, "s", &s), spy.ErrNilRecorder)
	assert.ErrorIs(t, spy.On0(nil, "s", &s0), spy.ErrNilRecorder)
	assert.ErrorIs(t, spy.On[int](r, "s", nil), spy.ErrNilSignal)
	assert.ErrorIs(t, spy.On0(r, "s", nil), spy.ErrNilSignal)
	assert.ErrorIs(t, spy.On(r, "", &s), spy.ErrEmptyName)
	assert.ErrorIs(t, spy.On0(r, "", &s0), spy.ErrEmptyName)

	require.NoError(t, spy.On(r, "s", &s, signal.UniqueConnection("spy")))
	err := spy.On(r, "again", &s, signal.UniqueConnection("spy"))
	assert.ErrorIs(t, err, signal.ErrDuplicateConnection)
	assert.ErrorContains(t, err, `"again"`)
	assert.ErrorIs(t, spy.On0(r, "s0", &s0, signal.To(nil)), signal.ErrInvalidOption)
	assert.ErrorIs(t, spy.On0(r, "s0", &s0, signal.WithKind(signal.Kind(99))), signal.ErrInvalidOption)
	assert.Equal(t, 1, s.Receivers(), "refused attachments leave nothing connected")
	assert.Equal(t, 0, s0.Receivers())
}

func TestNilRecorderIsEmpty(t *testing.T) {
	var r *spy.Recorder
	assert.Nil(t, r.Events())
	assert.Zero(t, r.Len())
	assert.Zero(t, r.Count("x"))
	assert.Nil(t, r.Names())
	assert.Nil(t, r.Args("x"))
	assert.Nil(t, r.Take())
	assert.Empty(t, r.Sequence())
	r.Clear()
	r.Disconnect()
	assert.ErrorIs(t, r.Wait(t.Context(), "x", 1), spy.ErrNilRecorder)
	assert.ErrorIs(t, r.WaitOn(t.Context(), nil, "x", 1), spy.ErrNilRecorder)
	assert.False(t, r.WaitTimeout("x", 1, time.Second))
}

func TestDisconnect(t *testing.T) {
	var s signal.Signal[int]
	var s0 signal.Signal0
	r := spy.New()
	require.NoError(t, spy.On(r, "s", &s))
	require.NoError(t, spy.On0(r, "s0", &s0))
	s.Emit(1)
	r.Disconnect()
	s.Emit(2)
	s0.Emit()
	assert.Equal(t, []string{"s 1"}, r.Sequence(), "the record stays, later emissions are not recorded")
	assert.Equal(t, 0, s.Receivers())
	assert.Equal(t, 0, s0.Receivers())
	r.Disconnect() // twice is harmless
}

func TestConcurrentRecording(t *testing.T) {
	var s signal.Signal[int]
	r := spy.New()
	require.NoError(t, spy.On(r, "s", &s))
	const goroutines, each = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				s.Emit(g*each + i)
			}
		})
	}
	require.NoError(t, r.Wait(t.Context(), "s", goroutines*each))
	wg.Wait()
	ev := r.Events()
	require.Len(t, ev, goroutines*each)
	seen := make(map[any]bool)
	for i, e := range ev {
		assert.Equal(t, i+1, e.Seq)
		seen[e.Arg] = true
	}
	assert.Len(t, seen, goroutines*each)
}

func TestTimeIsVirtualUnderSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var s signal.Signal0
		r := spy.New()
		require.NoError(t, spy.On0(r, "s", &s))
		start := time.Now()
		s.Emit()
		time.Sleep(time.Minute)
		s.Emit()
		ev := r.Events()
		require.Len(t, ev, 2)
		assert.Equal(t, start, ev[0].Time)
		assert.Equal(t, time.Minute, ev[1].Time.Sub(ev[0].Time))
	})
}
