package core

import (
	"errors"
	"fmt"
	"reflect"
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
// Subscribe0 re-emit a topic's events on a typed signal.
//
// Types are checked as early as they are known. A topic carries one type:
// the Bus remembers the type of the first signal published on it, and a
// SubscribeTo or PublishTo whose type cannot fit the other side fails at
// once with a *BusTypeError. An event published by name (EventBus().Publish)
// is checked when it arrives: one that does not fit a subscribing signal is
// not emitted on it, and is reported as a *BusTypeError instead of panicking
// inside EventBus — to WithErrorHandler every time, and to the log (Error
// level) the first time for each subscription.
//
// A subscribing signal bound to an object that lives on a loop is emitted
// on that loop, as a queued call when the event is published from anywhere
// else, so its slots run where Auto connections expect them to.
//
// EventBus calls its handlers with its own lock held. Therefore a slot that
// runs directly inside a re-emitted signal must not publish, subscribe or
// unsubscribe on the same EventBus (it would deadlock); connect such slots
// Queued. Wrap an EventBus in a single Bus, and publish through
// Bus.EventBus rather than the EventBus it wraps (see EventBus).
type Bus struct {
	eb      EventBus.Bus // the wrapped EventBus
	guard   guardedBus
	log     *zap.Logger
	onError func(error)

	mu     sync.Mutex // guards topics and types; taken before EventBus's own lock
	topics map[string]*busTopic
	types  map[string][]reflect.Type // the type published on each topic
}

// busTopic is one subscribed topic: a single EventBus handler fanning out
// to the Bus's subscribers.
type busTopic struct {
	subs    atomic.Pointer[[]*busSub] // copy-on-write; read by handler
	handler func(args ...any)
}

// busSub is one SubscribeTo or Subscribe0.
type busSub struct {
	want     []reflect.Type // the signal's argument types
	deliver  func(args []any) error
	reported atomic.Bool // its first mismatch has been logged
}

// NewBus wraps eb (nil: a new EventBus.New()). Options: WithLogger (delivery
// errors are logged at Error level) and WithErrorHandler.
func NewBus(eb EventBus.Bus, opts ...BusOption) *Bus {
	c := busConfig(opts)
	if eb == nil {
		eb = EventBus.New()
	}
	b := &Bus{
		eb: eb, log: c.logger, onError: c.onBusErr,
		topics: make(map[string]*busTopic),
		types:  make(map[string][]reflect.Type),
	}
	b.guard.b = b
	return b
}

// EventBus returns the EventBus to publish and subscribe on by name. It is
// the wrapped one seen through a guard: a Publish that EventBus itself
// would turn into a panic inside the bridge's handler (a nil argument past
// the first on a bridged topic — EventBus looks up a nil's type in the
// handler's parameter list) is refused and reported as a *BusTypeError
// instead. Publishing on the wrapped EventBus directly bypasses the guard.
func (b *Bus) EventBus() EventBus.Bus { return &b.guard }

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
// stops the publishing when disconnected or when obj is destroyed. It fails
// with a *BusTypeError when the topic already carries another type or a
// subscriber's signal cannot take T.
func PublishTo[T any](b *Bus, obj *Object, signalName string, s *signal.Signal[T]) (*signal.Connection, error) {
	topic, err := Topic(obj, signalName)
	if err != nil {
		return nil, err
	}
	if err := b.publishing(topic, []reflect.Type{reflect.TypeFor[T]()}); err != nil {
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
	if err := b.publishing(topic, []reflect.Type{}); err != nil {
		return nil, err
	}
	return s.Connect(func() { b.eb.Publish(topic) },
		signal.WithKind(signal.Direct), signal.To(obj))
}

// SubscribeTo re-emits on s every event published on topic with one
// argument of type T (a nil argument is T's zero value when T can be nil),
// on s's loop (see Bus). It fails with a *BusTypeError when the topic's
// published type cannot be a T. The returned function unsubscribes; it is
// idempotent.
func SubscribeTo[T any](b *Bus, topic string, s *signal.Signal[T]) (func(), error) {
	want := []reflect.Type{reflect.TypeFor[T]()}
	return b.subscribe(topic, want, func(args []any) error {
		if len(args) == 1 {
			if v, ok := convert[T](args[0]); ok {
				return b.emitOn(topic, s.Emitter(), func() { s.Emit(v) })
			}
		}
		return newBusTypeError(topic, want, args)
	})
}

// Subscribe0 re-emits on s every event published on topic without
// arguments, on s's loop (see Bus). It fails with a *BusTypeError when the
// topic's published type has arguments.
func Subscribe0(b *Bus, topic string, s *signal.Signal0) (func(), error) {
	return b.subscribe(topic, []reflect.Type{}, func(args []any) error {
		if len(args) != 0 {
			return newBusTypeError(topic, nil, args)
		}
		return b.emitOn(topic, s.Emitter(), s.Emit)
	})
}

// publishing records that topic carries types, or fails with a
// *BusTypeError if that contradicts what the topic already carries or what
// its subscribers take.
func (b *Bus) publishing(topic string, types []reflect.Type) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if old, ok := b.types[topic]; ok {
		if !slicesEqual(old, types) {
			return newBusSignatureError(topic, old, types, "the topic's type")
		}
		return nil
	}
	if t := b.topics[topic]; t != nil {
		for _, s := range t.load() {
			if !fits(types, s.want) {
				return newBusSignatureError(topic, s.want, types, "signal")
			}
		}
	}
	b.types[topic] = types
	return nil
}

// subscribe adds a subscriber to topic, subscribing the topic's fan-out
// handler to EventBus on first use.
func (b *Bus) subscribe(topic string, want []reflect.Type, deliver func([]any) error) (func(), error) {
	if topic == "" {
		return nil, errors.New("core: empty bus topic")
	}
	sub := &busSub{want: want, deliver: deliver}
	b.mu.Lock()
	defer b.mu.Unlock()
	if pub, ok := b.types[topic]; ok && !fits(pub, want) {
		return nil, newBusSignatureError(topic, want, pub, "signal")
	}
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
			b.report(s, err)
		}
	}
}

// report hands err, a failure of sub, to the error handler, and logs it if
// it is sub's first.
func (b *Bus) report(sub *busSub, err error) {
	if !sub.reported.Swap(true) {
		b.log.Error("slotnet: bus event not delivered", zap.Error(err),
			zap.String("note", "later failures of this subscription go to the error handler only"))
	}
	if b.onError != nil {
		b.onError(err)
	}
}
