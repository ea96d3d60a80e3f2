package core

import (
	"fmt"

	EventBus "github.com/asaskevich/EventBus"
)

// guardedBus is the EventBus a Bus hands out: the wrapped one, with a
// Publish that cannot panic in the bridge's handlers.
//
// A Bus subscribes one variadic handler, func(args ...any), per topic, so
// that an event of any arity reaches its type check. EventBus passes a nil
// argument as the zero value of the handler's parameter at that position,
// which a variadic handler has only for the first: a nil past the first
// would make EventBus index past the handler's parameters and panic. No
// subscribing signal takes two or more arguments, so such an event is a
// mismatch for every subscriber of a bridged topic: the guard reports it to
// each and publishes it nowhere.
type guardedBus struct{ b *Bus }

var _ EventBus.Bus = (*guardedBus)(nil)

// Publish publishes on the wrapped EventBus, except an event that would
// panic there (see guardedBus).
func (g *guardedBus) Publish(topic string, args ...any) {
	i := nilPastFirst(args)
	if i < 0 {
		g.b.eb.Publish(topic, args...)
		return
	}
	b := g.b
	b.mu.Lock() // so that no subscriber arrives in between
	t := b.topics[topic]
	if t == nil {
		b.eb.Publish(topic, args...)
		b.mu.Unlock()
		return
	}
	subs := t.load()
	b.mu.Unlock()
	for _, s := range subs {
		b.report(s, fmt.Errorf("%w (published nowhere: EventBus cannot pass the nil argument %d to a bridged topic)",
			newBusTypeError(topic, s.want, args), i))
	}
}

// nilPastFirst returns the position of the first nil argument after the
// first, or -1.
func nilPastFirst(args []any) int {
	for i := 1; i < len(args); i++ {
		if args[i] == nil {
			return i
		}
	}
	return -1
}

// The rest of EventBus.Bus is the wrapped EventBus's.

func (g *guardedBus) Subscribe(topic string, fn any) error { return g.b.eb.Subscribe(topic, fn) }

func (g *guardedBus) SubscribeAsync(topic string, fn any, transactional bool) error {
	return g.b.eb.SubscribeAsync(topic, fn, transactional)
}

func (g *guardedBus) SubscribeOnce(topic string, fn any) error {
	return g.b.eb.SubscribeOnce(topic, fn)
}

func (g *guardedBus) SubscribeOnceAsync(topic string, fn any) error {
	return g.b.eb.SubscribeOnceAsync(topic, fn)
}

func (g *guardedBus) Unsubscribe(topic string, handler any) error {
	return g.b.eb.Unsubscribe(topic, handler)
}

func (g *guardedBus) HasCallback(topic string) bool { return g.b.eb.HasCallback(topic) }

func (g *guardedBus) WaitAsync() { g.b.eb.WaitAsync() }
