package remote

import (
	"os"
	"sync"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Option configures a Source or a Replica.
type Option interface{ apply(*config) }

type config struct {
	prefix      string
	log         *zap.Logger
	callTimeout time.Duration
	durableName string
	pending     int
	pendingMsgs int
	retry       time.Duration
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) config {
	c := config{
		prefix:      "slotnet",
		log:         defaultLogger(),
		callTimeout: 5 * time.Second,
		pending:     1024,
		pendingMsgs: 65536,
		retry:       50 * time.Millisecond,
	}
	for _, o := range opts {
		o.apply(&c)
	}
	return c
}

// WithPrefix sets the first subject token of the source's subjects
// (default "slotnet"). A source and its replicas must use the same prefix.
func WithPrefix(p string) Option { return optionFunc(func(c *config) { c.prefix = p }) }

// WithLogger sets the logger. The remote layer logs what it cannot return:
// publish and encode failures on the source, unusable messages, signature
// mismatches and state changes on the replica. The default, as core's,
// writes Error-level entries to standard error and drops the rest; inject
// zap.NewNop() to silence it on purpose.
func WithLogger(l *zap.Logger) Option {
	return optionFunc(func(c *config) {
		if l != nil {
			c.log = l
		}
	})
}

// WithCallTimeout bounds a remote slot call whose context has no deadline
// (default 5s), so that a call never waits forever.
func WithCallTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) { c.callTimeout = d })
}

// WithDurableName names a replica's JetStream consumer for durable
// signals. A replica restarted with the same name replays what it missed.
// Without it, a replica with durable signals gets an ephemeral consumer
// that starts at the stream's newest message.
func WithDurableName(name string) Option {
	return optionFunc(func(c *config) { c.durableName = name })
}

// WithPendingLimit bounds a replica's messages received but not yet
// handled on its loop (default 1024). Beyond it, the NATS client buffers
// up to WithPendingMessages; beyond that it drops (a slow consumer), and
// the replica becomes Suspect and counts what it missed.
func WithPendingLimit(n int) Option { return optionFunc(func(c *config) { c.pending = max(1, n) }) }

// WithPendingMessages sets the NATS subscription's pending message limit
// of a replica (default 65536).
func WithPendingMessages(n int) Option {
	return optionFunc(func(c *config) { c.pendingMsgs = max(1, n) })
}

// WithRetry sets the interval between a replica's snapshot requests while
// no source answers (default 50ms).
func WithRetry(d time.Duration) Option { return optionFunc(func(c *config) { c.retry = d }) }

// defaultLogger is the logger of a source or replica made without
// WithLogger: failures must not vanish, so Error and above go to standard
// error, one line each (core's rule for loops).
var defaultLogger = sync.OnceValue(func() *zap.Logger {
	return zap.New(zapcore.NewCore(
		zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()),
		zapcore.Lock(zapcore.AddSync(os.Stderr)),
		zapcore.ErrorLevel,
	))
})
