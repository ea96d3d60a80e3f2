package core

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	EventBus "github.com/asaskevich/EventBus"
	"go.uber.org/zap"

	"github.com/slotnet/slotnet/signal"
)

// Bus wires typed signals to the topics of an EventBus, both ways: Qt's
// name-based connect(sender, SIGNAL("readyRead()"), receiver,
// SLOT("read()")). PublishTo and Publish0 publish a signal's emissions on
// the topic "<objectName>.<signalName>" (see Topic); SubscribeTo and
// Subscribe0 re-emit a topic's events on a typed signal, checking every
// event's arguments against the signal's type first, so an ill-typed event
// is reported as a *BusTypeError (to WithErrorHandler and the log) instead
// of panicking inside EventBus.
//
// EventBus calls its handlers with its own lock held. Therefore a slot that
// runs directly inside a re-emitted signal must not publish, subscribe or
// unsubscribe on the same EventBus (it would deadlock); connect such slots
// Queued. Wrap an EventBus in a single Bus: EventBus tells handlers apart
// by function code only, so two Bus values subscribing the same topic of
// one EventBus could remove each other's handler.
type Bus struct {
	eb      EventBus.Bus
	log     *zap.Logger
	onError func(error)

	mu     sync.Mutex // guards topics; taken before EventBus's own lock
	topics map[string]*busTopic
}

// busTopic is one subscribed topic: a single EventBus handler fanning out
// to the Bus's subscribers.
type busTopic struct {
	subs    atomic.Pointer[[]*busSub] // copy-on-write; read by handler
	handler func(args ...any)
}

// busSub is one SubscribeTo or Subscribe0.
type busSub struct {
	deliver func(args []any) error
}

// NewBus wraps eb (nil: a new EventBus.New()). Options: WithLogger (delivery
// errors are logged at Error level) and WithErrorHandler.
func NewBus(eb EventBus.Bus, opts ...Option) *Bus {
	c := newConfig(opts)
	if eb == nil {
		eb = EventBus.New()
	}
	return &Bus{eb: eb, log: c.logger, onError: c.onBusErr, topics: make(map[string]*busTopic)}
}

// EventBus returns the wrapped EventBus, for publishing and subscribing by
// name directly.
func (b *Bus) EventBus() EventBus.Bus { return b.eb }

// Topic returns the topic of obj's signal signalName:
// "<objectName>.<signalName>", such as "socket1.readyRead". It fails with
// ErrNoObjectName when obj is nil or unnamed, or signalName is empty.
func Topic(obj *Object, signalName string) (string, error) {
	if obj == nil || obj.ObjectName() == "" {
		return "", ErrNoObjectName
	}
	if signalName == "" {
		return "", fmt.Errorf("%w: empty signal name", ErrNoObjectName)
	}
	return obj.ObjectName() + "." + signalName, nil
}

// PublishTo publishes every emission of s, with its value, on obj's topic
// for signalName (see Topic, computed now: renaming obj later does not move
// the topic). The returned connection, direct and with obj as receiver,
// stops the publishing when disconnected or when obj is destroyed.
func PublishTo[T any](b *Bus, obj *Object, signalName string, s *signal.Signal[T]) (*signal.Connection, error) {
	topic, err := Topic(obj, signalName)
	if err != nil {
		return nil, err
	}
	return s.Connect(func(v T) { b.eb.Publish(topic, v) },
		signal.WithKind(signal.Direct), signal.To(obj))
}

// Publish0 is PublishTo for a signal without arguments.
func Publish0(b *Bus, obj *Object, signalName string, s *signal.Signal0) (*signal.Connection, error) {
	topic, err := Topic(obj, signalName)
	if err != nil {
		return nil, err
	}
	return s.Connect(func() { b.eb.Publish(topic) },
		signal.WithKind(signal.Direct), signal.To(obj))
}

// SubscribeTo re-emits on s every event published on topic with one
// argument of type T (a nil argument is T's zero value when T can be nil).
// Other events are not emitted: each is reported as a *BusTypeError. The
// returned function unsubscribes; it is idempotent.
func SubscribeTo[T any](b *Bus, topic string, s *signal.Signal[T]) (func(), error) {
	want := reflect.TypeFor[T]()
	return b.subscribe(topic, func(args []any) error {
		if len(args) == 1 {
			if v, ok := convert[T](args[0]); ok {
				s.Emit(v)
				return nil
			}
		}
		return newBusTypeError(topic, []reflect.Type{want}, args)
	})
}

// Subscribe0 re-emits on s every event published on topic without
// arguments; other events are reported as a *BusTypeError.
func Subscribe0(b *Bus, topic string, s *signal.Signal0) (func(), error) {
	return b.subscribe(topic, func(args []any) error {
		if len(args) != 0 {
			return newBusTypeError(topic, nil, args)
		}
		s.Emit()
		return nil
	})
}

// convert turns one EventBus argument into a T. EventBus hands a nil
// argument to a variadic handler as a nil []any.
func convert[T any](a any) (T, bool) {
	var zero T
	if s, ok := a.([]any); ok && s == nil {
		a = nil
	}
	if a == nil {
		return zero, nilable(reflect.TypeFor[T]())
	}
	v, ok := a.(T)
	return v, ok
}

func nilable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice,
		reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	}
	return false
}

// subscribe adds a subscriber to topic, subscribing the topic's fan-out
// handler to EventBus on first use.
func (b *Bus) subscribe(topic string, deliver func([]any) error) (func(), error) {
	if topic == "" {
		return nil, errors.New("core: empty bus topic")
	}
	sub := &busSub{deliver: deliver}
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.topics[topic]
	if t == nil {
		t = &busTopic{}
		t.handler = func(args ...any) { b.fanOut(t, args) }
		if err := b.eb.Subscribe(topic, t.handler); err != nil {
			return nil, err
		}
		b.topics[topic] = t
	}
	old := t.load()
	next := append(append(make([]*busSub, 0, len(old)+1), old...), sub)
	t.subs.Store(&next)
	var once sync.Once
	return func() { once.Do(func() { b.unsubscribe(topic, t, sub) }) }, nil
}

func (t *busTopic) load() []*busSub {
	if p := t.subs.Load(); p != nil {
		return *p
	}
	return nil
}

func (b *Bus) unsubscribe(topic string, t *busTopic, sub *busSub) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := t.load()
	next := make([]*busSub, 0, len(old))
	for _, s := range old {
		if s != sub {
			next = append(next, s)
		}
	}
	t.subs.Store(&next)
	if len(next) == 0 && b.topics[topic] == t {
		delete(b.topics, topic)
		_ = b.eb.Unsubscribe(topic, t.handler) // only fails for an unknown topic
	}
}

// fanOut is the EventBus handler of a topic.
func (b *Bus) fanOut(t *busTopic, args []any) {
	for _, s := range t.load() {
		if err := s.deliver(args); err != nil {
			b.report(err)
		}
	}
}

func (b *Bus) report(err error) {
	b.log.Error("slotnet: bus event not delivered", zap.Error(err))
	if b.onError != nil {
		b.onError(err)
	}
}

// BusTypeError reports a bus event whose arguments do not fit the typed
// signal its topic is bridged to. It matches ErrBusType with errors.Is.
type BusTypeError struct {
	Topic string   // the event's topic
	Want  []string // the signal's argument types
	Got   []string // the event's argument types ("nil" for nil)
}

func newBusTypeError(topic string, want []reflect.Type, args []any) *BusTypeError {
	e := &BusTypeError{Topic: topic, Want: []string{}, Got: []string{}}
	for _, t := range want {
		e.Want = append(e.Want, t.String())
	}
	for _, a := range args {
		if a == nil {
			e.Got = append(e.Got, "nil")
			continue
		}
		e.Got = append(e.Got, reflect.TypeOf(a).String())
	}
	return e
}

// Error describes the mismatch, such as
// `core: bus topic "sock.readyRead": event (string) does not fit signal (int)`.
func (e *BusTypeError) Error() string {
	return fmt.Sprintf("core: bus topic %q: event (%s) does not fit signal (%s)",
		e.Topic, strings.Join(e.Got, ", "), strings.Join(e.Want, ", "))
}

// Is reports whether target is ErrBusType.
func (e *BusTypeError) Is(target error) bool { return target == ErrBusType }
