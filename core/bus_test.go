package core

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/signal"
)

func TestTopic(t *testing.T) {
	o := newObj(t)
	_, err := Topic(o, "readyRead")
	assert.ErrorIs(t, err, ErrNoObjectName)
	_, err = Topic(nil, "readyRead")
	assert.ErrorIs(t, err, ErrNoObjectName)
	o.SetObjectName("sock")
	_, err = Topic(o, "")
	assert.ErrorIs(t, err, ErrNoObjectName)
	topic, err := Topic(o, "readyRead")
	require.NoError(t, err)
	assert.Equal(t, "sock.readyRead", topic)
}

func TestBusRoundTrip(t *testing.T) {
	b := NewBus(nil)
	sender := newObj(t, WithName("sender"))
	var out signal.Signal[int]
	out.Bind(sender.SignalHost())
	_, err := PublishTo(b, sender, "value", &out)
	require.NoError(t, err)

	var in signal.Signal[int]
	unsub, err := SubscribeTo(b, "sender.value", &in)
	require.NoError(t, err)
	var got []int
	_, err = in.Connect(func(v int) { got = append(got, v) })
	require.NoError(t, err)

	out.Emit(7)
	out.Emit(8)
	assert.Equal(t, []int{7, 8}, got)

	unsub()
	unsub()
	out.Emit(9)
	assert.Equal(t, []int{7, 8}, got)
	assert.False(t, b.EventBus().HasCallback("sender.value"))

	sender.Destroy()
	assert.False(t, out.IsConnected(), "publishing ends with the object")
}

func TestBusRoundTrip0(t *testing.T) {
	b := NewBus(nil)
	sock := newObj(t, WithName("sock"))
	var readyRead, read signal.Signal0
	_, err := Publish0(b, sock, "readyRead", &readyRead)
	require.NoError(t, err)
	_, err = Subscribe0(b, "sock.readyRead", &read)
	require.NoError(t, err)
	n := 0
	_, err = read.Connect(func() { n++ })
	require.NoError(t, err)
	readyRead.Emit()
	b.EventBus().Publish("sock.readyRead")
	assert.Equal(t, 2, n)

	_, err = Publish0(b, newObj(t), "x", &readyRead)
	assert.ErrorIs(t, err, ErrNoObjectName)
	var s signal.Signal[int]
	_, err = PublishTo(b, newObj(t), "x", &s)
	assert.ErrorIs(t, err, ErrNoObjectName)
	_, err = Subscribe0(b, "", &read)
	assert.Error(t, err)
}

func TestBusTypeMismatch(t *testing.T) {
	log, logs := observed(zap.ErrorLevel)
	var errs []error
	b := NewBus(nil, WithLogger(log), WithErrorHandler(func(err error) { errs = append(errs, err) }))
	var in signal.Signal[int]
	_, err := SubscribeTo(b, "t", &in)
	require.NoError(t, err)
	got := 0
	_, err = in.Connect(func(v int) { got = v })
	require.NoError(t, err)

	require.NotPanics(t, func() {
		b.EventBus().Publish("t", "seven") // wrong type
		b.EventBus().Publish("t")          // too few
		b.EventBus().Publish("t", 1, 2)    // too many
		b.EventBus().Publish("t", nil)     // int cannot be nil
		b.EventBus().Publish("t", 42)      // fine
	})
	assert.Equal(t, 42, got)
	require.Len(t, errs, 4)
	var te *BusTypeError
	require.True(t, errors.As(errs[0], &te))
	assert.ErrorIs(t, errs[0], ErrBusType)
	assert.Equal(t, "t", te.Topic)
	assert.Equal(t, []string{"int"}, te.Want)
	assert.Equal(t, []string{"string"}, te.Got)
	assert.Equal(t, `core: bus topic "t": event (string) does not fit signal (int)`, errs[0].Error())
	assert.Equal(t, `core: bus topic "t": event (int, int) does not fit signal (int)`, errs[2].Error())
	require.Equal(t, 1, logs.Len(), "the first one is logged")
	assert.Equal(t, zap.ErrorLevel, logs.All()[0].Level)
	assert.Equal(t, errs[0].Error(), logs.All()[0].ContextMap()["error"])

	var zero signal.Signal0
	_, err = Subscribe0(b, "z", &zero)
	require.NoError(t, err)
	b.EventBus().Publish("z", 1)
	require.Len(t, errs, 5)
	assert.Equal(t, `core: bus topic "z": event (int) does not fit signal ()`, errs[4].Error())
	assert.Equal(t, 2, logs.Len(), "each subscription logs its first")
}

func TestBusNilForNilableTypes(t *testing.T) {
	b := NewBus(nil)
	var in signal.Signal[*Object]
	_, err := SubscribeTo(b, "p", &in)
	require.NoError(t, err)
	o := newObj(t)
	var got []*Object
	_, err = in.Connect(func(v *Object) { got = append(got, v) })
	require.NoError(t, err)
	b.EventBus().Publish("p", nil)
	b.EventBus().Publish("p", o)
	assert.Equal(t, []*Object{nil, o}, got)
}

func TestBusSubscribersShareATopic(t *testing.T) {
	b := NewBus(nil)
	var s1, s2 signal.Signal[string]
	u1, err := SubscribeTo(b, "t", &s1)
	require.NoError(t, err)
	u2, err := SubscribeTo(b, "t", &s2)
	require.NoError(t, err)
	var got []string
	_, err = s1.Connect(func(v string) { got = append(got, "1:"+v) })
	require.NoError(t, err)
	_, err = s2.Connect(func(v string) { got = append(got, "2:"+v) })
	require.NoError(t, err)
	b.EventBus().Publish("t", "a")
	u1()
	b.EventBus().Publish("t", "b")
	assert.True(t, b.EventBus().HasCallback("t"))
	u2()
	b.EventBus().Publish("t", "c")
	assert.Equal(t, []string{"1:a", "2:a", "2:b"}, got)
	assert.False(t, b.EventBus().HasCallback("t"))

	// Subscribing again after the topic emptied works.
	_, err = SubscribeTo(b, "t", &s1)
	require.NoError(t, err)
	b.EventBus().Publish("t", "d")
	assert.Equal(t, "1:d", got[len(got)-1])
}
