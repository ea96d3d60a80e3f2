package core

import (
	"os"
	"sync"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// defaultLogger is the logger of a loop or bus made without WithLogger (or
// with WithLogger(nil)): failures must not vanish, so it writes Error-level
// entries and above — a recovered panic with its stack, a bus type
// mismatch, a dropped topic — to standard error, one line each, and drops
// the rest. Inject zap.NewNop() to silence them on purpose, or a logger of
// your own to route them.
func defaultLogger() *zap.Logger { return loudLogger() }

var loudLogger = sync.OnceValue(func() *zap.Logger {
	return zap.New(stackLines{zapcore.NewCore(
		zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()),
		zapcore.Lock(zapcore.AddSync(stderr{})),
		zapcore.ErrorLevel,
	)})
})

// stackLines prints an entry's "stack" field (a recovered panic's stack) as
// the entry's stack trace, one frame a line after the entry, rather than as
// one long quoted string.
type stackLines struct{ zapcore.Core }

func (c stackLines) With(fields []zapcore.Field) zapcore.Core {
	return stackLines{c.Core.With(fields)}
}

func (c stackLines) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(ent.Level) {
		return ce.AddCore(ent, c)
	}
	return ce
}

func (c stackLines) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	for i, f := range fields {
		if f.Key == "stack" && f.Type == zapcore.StringType && ent.Stack == "" {
			ent.Stack = f.String
			fields = append(fields[:i:i], fields[i+1:]...)
			break
		}
	}
	return c.Core.Write(ent, fields)
}

// stderr writes to whatever os.Stderr is at the time of the write, so a
// program (or a test) that redirects os.Stderr after the first loop was made
// still sees the entries.
type stderr struct{}

func (stderr) Write(p []byte) (int, error) { return os.Stderr.Write(p) }
