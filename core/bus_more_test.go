package core

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/slotnet/slotnet/signal"
)

// busErrs returns a Bus that logs through the test and collects the errors
// it reports.
func busErrs(t *testing.T) (*Bus, *[]error) {
	var errs []error
	b := NewBus(nil, WithLogger(zaptest.NewLogger(t)),
		WithErrorHandler(func(err error) { errs = append(errs, err) }))
	return b, &errs
}

func TestBusChecksTypesAtSubscribe(t *testing.T) {
	b, _ := busErrs(t)
	sock := newObj(t, WithName("sock"))
	var n signal.Signal[int]
	_, err := PublishTo(b, sock, "n", &n)
	require.NoError(t, err)

	var s signal.Signal[string]
	_, err = SubscribeTo(b, "sock.n", &s)
	require.ErrorIs(t, err, ErrBusType)
	assert.Equal(t, `core: bus topic "sock.n": published signal (int) does not fit signal (string)`, err.Error())
	var z signal.Signal0
	_, err = Subscribe0(b, "sock.n", &z)
	assert.ErrorIs(t, err, ErrBusType)
	assert.False(t, b.EventBus().HasCallback("sock.n"), "a refused subscription leaves nothing behind")

	var anyv signal.Signal[any]
	_, err = SubscribeTo(b, "sock.n", &anyv)
	assert.NoError(t, err, "an int fits an any")

	// A topic carries one type.
	var other signal.Signal[string]
	_, err = PublishTo(b, sock, "n", &other)
	require.ErrorIs(t, err, ErrBusType)
	assert.Equal(t, `core: bus topic "sock.n": published signal (string) does not fit the topic's type (int)`, err.Error())
	var again signal.Signal[int]
	_, err = PublishTo(b, sock, "n", &again)
	assert.NoError(t, err, "the same type again")
}

func TestBusChecksTypesAtPublish(t *testing.T) {
	b, _ := busErrs(t)
	var in signal.Signal[error]
	_, err := SubscribeTo(b, "sock.err", &in)
	require.NoError(t, err)
	sock := newObj(t, WithName("sock"))
	var s signal.Signal[string]
	_, err = PublishTo(b, sock, "err", &s)
	require.ErrorIs(t, err, ErrBusType)
	assert.Equal(t, `core: bus topic "sock.err": published signal (string) does not fit signal (error)`, err.Error())
	var z signal.Signal0
	_, err = Publish0(b, sock, "err", &z)
	assert.ErrorIs(t, err, ErrBusType)

	var e signal.Signal[*SocketishError]
	_, err = PublishTo(b, sock, "err", &e)
	require.NoError(t, err, "a type implementing the subscriber's interface fits")
	var got error
	_, err = in.Connect(func(v error) { got = v })
	require.NoError(t, err)
	e.Emit(&SocketishError{"refused"})
	assert.EqualError(t, got, "refused")
}

// SocketishError is an error type for the tests above.
type SocketishError struct{ msg string }

func (e *SocketishError) Error() string { return e.msg }

// EventBus panics on an event with a nil argument past the first when the
// handler is variadic, as a bridged topic's is; the Bus's EventBus refuses
// it and says so.
func TestBusWrongArityWithNilDoesNotPanic(t *testing.T) {
	b, errs := busErrs(t)
	var in signal.Signal[int]
	_, err := SubscribeTo(b, "t", &in)
	require.NoError(t, err)
	var z signal.Signal0
	_, err = Subscribe0(b, "t", &z)
	require.NoError(t, err)
	ran := 0
	_, err = in.Connect(func(int) { ran++ })
	require.NoError(t, err)

	require.Panics(t, func() { b.eb.Publish("t", 1, nil) }, "the reason for the guard")
	require.NotPanics(t, func() {
		b.EventBus().Publish("t", 1, nil)
		b.EventBus().Publish("t", nil, nil, nil)
	})
	assert.Zero(t, ran)
	require.Len(t, *errs, 4, "each subscriber, each event")
	assert.ErrorIs(t, (*errs)[0], ErrBusType)
	var te *BusTypeError
	require.True(t, errors.As((*errs)[0], &te))
	assert.Equal(t, []string{"int", "nil"}, te.Got)
	assert.Contains(t, (*errs)[0].Error(), "published nowhere")
	assert.Contains(t, (*errs)[1].Error(), "does not fit signal ()")

	b.EventBus().Publish("t", 5)
	assert.Equal(t, 1, ran, "the topic still works")

	// On a topic without a bridge the same event reaches its handlers.
	var gotP *int
	require.NoError(t, b.EventBus().Subscribe("raw", func(n int, p *int) { gotP = p }))
	x := 1
	gotP = &x
	b.EventBus().Publish("raw", 1, nil)
	assert.Nil(t, gotP)
}

// The bridge emits a subscribing signal on its object's loop: queued from
// another loop, directly from its own.
func TestBusKeepsAffinity(t *testing.T) {
	pubLoop, subLoop := startLoop(t, WithName("pub")), startLoop(t, WithName("sub"))
	b, errs := busErrs(t)
	sender, err := NewObject(WithLoop(pubLoop), WithName("sender"))
	require.NoError(t, err)
	receiver, err := NewObject(WithLoop(subLoop))
	require.NoError(t, err)
	var out, in signal.Signal[int]
	out.Bind(sender.SignalHost())
	in.Bind(receiver.SignalHost())
	_, err = PublishTo(b, sender, "v", &out)
	require.NoError(t, err)
	_, err = SubscribeTo(b, "sender.v", &in)
	require.NoError(t, err)

	type call struct {
		v          int
		onSub, pub bool
	}
	calls := make(chan call, 4)
	_, err = in.Connect(func(v int) {
		calls <- call{v, subLoop.IsCurrent(), pubLoop.IsCurrent()}
	}, signal.To(receiver))
	require.NoError(t, err)

	require.NoError(t, pubLoop.Invoke(func() { out.Emit(1) }))
	assert.Equal(t, call{1, true, false}, <-calls, "queued to the subscriber's loop")

	require.NoError(t, subLoop.Invoke(func() {
		b.EventBus().Publish("sender.v", 2)
		require.Len(t, calls, 1, "published on the subscriber's loop: emitted at once")
	}))
	assert.Equal(t, call{2, true, false}, <-calls)

	b.EventBus().Publish("sender.v", 3) // from the test's goroutine
	assert.Equal(t, call{3, true, false}, <-calls)
	assert.Empty(t, *errs)
}

func TestBusReportsEventDroppedOnClosedLoop(t *testing.T) {
	b, errs := busErrs(t)
	l := NewLoop(WithLogger(zaptest.NewLogger(t)))
	receiver, err := NewObject(WithLoop(l))
	require.NoError(t, err)
	var in signal.Signal[int]
	in.Bind(receiver.SignalHost())
	_, err = SubscribeTo(b, "t", &in)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	b.EventBus().Publish("t", 1)
	require.Len(t, *errs, 1)
	assert.ErrorIs(t, (*errs)[0], ErrLoopClosed)
	assert.Contains(t, (*errs)[0].Error(), `bus topic "t": event dropped`)
}

func ExampleBus_typeCheck() {
	b := NewBus(nil, WithLogger(zap.NewNop()))
	sock, _ := NewObject(WithName("sock"))
	var bytesWritten signal.Signal[int64]
	if _, err := PublishTo(b, sock, "bytesWritten", &bytesWritten); err != nil {
		panic(err)
	}
	var wrong signal.Signal[int]
	_, err := SubscribeTo(b, "sock.bytesWritten", &wrong)
	fmt.Println(err)
	fmt.Println(errors.Is(err, ErrBusType))
	// Output:
	// core: bus topic "sock.bytesWritten": published signal (int64) does not fit signal (int)
	// true
}
