package core

import (
	"time"

	"go.uber.org/zap"
)

// Option configures a constructor of this package: NewLoop, NewObject,
// NewTimer and NewBus. Each constructor documents the options it reads and
// ignores the others, so one option list can be shared.
type Option interface {
	apply(*config)
}

// config is what a list of options adds up to.
type config struct {
	logger    *zap.Logger
	name      string
	repanic   bool
	parent    *Object
	loop      *Loop
	interval  time.Duration
	single    bool
	onBusErr  func(error)
	hasParent bool
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) config {
	c := config{logger: defaultLogger()}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.logger == nil {
		c.logger = defaultLogger()
	}
	return c
}

// WithLogger sets the logger. Read by NewLoop, which logs recovered panics
// through it, and NewBus, which logs delivery errors. Without it (or with
// nil) Error-level entries go to standard error; zap.NewNop() silences them.
func WithLogger(l *zap.Logger) Option {
	return optionFunc(func(c *config) { c.logger = l })
}

// WithName names the loop (NewLoop: the name appears in its log entries and
// in Loop.Name) or sets the initial object name (NewObject, NewTimer).
func WithName(name string) Option {
	return optionFunc(func(c *config) { c.name = name })
}

// WithRepanic turns off the loop's panic recovery (NewLoop): a panic in a
// posted function, slot or timer propagates out of Run or ProcessEvents, as
// it would in plain Go.
func WithRepanic() Option {
	return optionFunc(func(c *config) { c.repanic = true })
}

// WithParent makes the new object (NewObject, NewTimer) a child of parent:
// it takes the parent's loop and is destroyed with it. A nil parent means
// none.
func WithParent(parent *Object) Option {
	return optionFunc(func(c *config) { c.parent, c.hasParent = parent, parent != nil })
}

// WithLoop gives the new object (NewObject, NewTimer) affinity to loop. An
// object without a loop is in blocking mode (see the package
// documentation).
func WithLoop(loop *Loop) Option {
	return optionFunc(func(c *config) { c.loop = loop })
}

// WithInterval sets a new timer's interval (NewTimer; default 0).
func WithInterval(d time.Duration) Option {
	return optionFunc(func(c *config) { c.interval = d })
}

// WithSingleShot makes a new timer single-shot (NewTimer).
func WithSingleShot() Option {
	return optionFunc(func(c *config) { c.single = true })
}

// WithErrorHandler sets the function a Bus calls, on the publishing
// goroutine, when an event cannot be delivered to a typed signal (NewBus).
// The error is also logged at Error level.
func WithErrorHandler(fn func(error)) Option {
	return optionFunc(func(c *config) { c.onBusErr = fn })
}
