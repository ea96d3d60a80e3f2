package core

import (
	"time"

	"go.uber.org/zap"
)

// Each constructor of this package takes options of its own interface:
// NewLoop takes LoopOption, NewObject ObjectOption, NewTimer TimerOption and
// NewBus BusOption. An option implements the interfaces of the constructors
// that read it, so passing an option to a constructor that ignores it
// (NewTimer(WithRepanic())) does not compile.
//
//	option              NewLoop  NewObject  NewTimer  NewBus
//	WithName               x        x          x
//	WithLogger             x                             x
//	WithRepanic            x
//	WithParent, WithLoop            x          x
//	WithInterval                               x
//	WithSingleShot                             x
//	WithErrorHandler                                     x

// LoopOption configures NewLoop: WithName, WithLogger, WithRepanic.
type LoopOption interface{ loopOption(*config) }

// ObjectOption configures NewObject: WithName, WithParent, WithLoop. A
// timer is an object, so every ObjectOption is also a TimerOption.
type ObjectOption interface {
	TimerOption
	objectOption(*config)
}

// TimerOption configures NewTimer: the ObjectOptions, WithInterval and
// WithSingleShot.
type TimerOption interface{ timerOption(*config) }

// BusOption configures NewBus: WithLogger, WithErrorHandler.
type BusOption interface{ busOption(*config) }

// NameOption is WithName's: a LoopOption and an ObjectOption (so a
// TimerOption too).
type NameOption interface {
	LoopOption
	ObjectOption
}

// LoggerOption is WithLogger's: a LoopOption and a BusOption.
type LoggerOption interface {
	LoopOption
	BusOption
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

// setter is the body of every option.
type setter func(*config)

// The concrete option types: each implements the interfaces of the
// constructors that read it.
type (
	nameOpt   setter // loop, object, timer
	loggerOpt setter // loop, bus
	loopOpt   setter
	objectOpt setter // object, timer
	timerOpt  setter
	busOpt    setter
)

func (o nameOpt) loopOption(c *config)     { o(c) }
func (o nameOpt) objectOption(c *config)   { o(c) }
func (o nameOpt) timerOption(c *config)    { o(c) }
func (o loggerOpt) loopOption(c *config)   { o(c) }
func (o loggerOpt) busOption(c *config)    { o(c) }
func (o loopOpt) loopOption(c *config)     { o(c) }
func (o objectOpt) objectOption(c *config) { o(c) }
func (o objectOpt) timerOption(c *config)  { o(c) }
func (o timerOpt) timerOption(c *config)   { o(c) }
func (o busOpt) busOption(c *config)       { o(c) }

// newConfig applies opts, skipping nil ones, through apply.
func newConfig[O comparable](opts []O, apply func(O, *config)) config {
	c := config{logger: defaultLogger()}
	var none O
	for _, o := range opts {
		if o != none {
			apply(o, &c)
		}
	}
	if c.logger == nil {
		c.logger = defaultLogger()
	}
	return c
}

func loopConfig(opts []LoopOption) config {
	return newConfig(opts, LoopOption.loopOption)
}

func objectConfig(opts []ObjectOption) config {
	return newConfig(opts, ObjectOption.objectOption)
}

func timerConfig(opts []TimerOption) config {
	return newConfig(opts, TimerOption.timerOption)
}

func busConfig(opts []BusOption) config {
	return newConfig(opts, BusOption.busOption)
}

// WithLogger sets the logger (NewLoop, which logs recovered panics through
// it; NewBus, which logs delivery errors). Without it (or with nil)
// Error-level entries go to standard error; zap.NewNop() silences them.
func WithLogger(l *zap.Logger) LoggerOption {
	return loggerOpt(func(c *config) { c.logger = l })
}

// WithName names the loop (NewLoop: the name appears in its log entries and
// in Loop.Name) or sets the initial object name (NewObject, NewTimer).
func WithName(name string) NameOption {
	return nameOpt(func(c *config) { c.name = name })
}

// WithRepanic turns off the loop's panic recovery (NewLoop): a panic in a
// posted function, slot or timer propagates out of Run or ProcessEvents, as
// it would in plain Go.
func WithRepanic() LoopOption {
	return loopOpt(func(c *config) { c.repanic = true })
}

// WithParent makes the new object (NewObject, NewTimer) a child of parent:
// it takes the parent's loop and is destroyed with it. A nil parent means
// none.
func WithParent(parent *Object) ObjectOption {
	return objectOpt(func(c *config) { c.parent, c.hasParent = parent, parent != nil })
}

// WithLoop gives the new object (NewObject, NewTimer) affinity to loop. An
// object without a loop is in blocking mode (see the package
// documentation).
func WithLoop(loop *Loop) ObjectOption {
	return objectOpt(func(c *config) { c.loop = loop })
}

// WithInterval sets a new timer's interval (NewTimer; default 0).
func WithInterval(d time.Duration) TimerOption {
	return timerOpt(func(c *config) { c.interval = d })
}

// WithSingleShot makes a new timer single-shot (NewTimer).
func WithSingleShot() TimerOption {
	return timerOpt(func(c *config) { c.single = true })
}

// WithErrorHandler sets the function a Bus calls, on the publishing
// goroutine, when an event cannot be delivered to a typed signal (NewBus).
// The error is also logged at Error level.
func WithErrorHandler(fn func(error)) BusOption {
	return busOpt(func(c *config) { c.onBusErr = fn })
}
