package transport

import (
	"net"

	"go.uber.org/zap"
)

// Option configures an OS transport built by NewOS.
type Option interface {
	apply(*OS)
}

type optionFunc func(*OS)

func (f optionFunc) apply(o *OS) { f(o) }

// WithLogger makes the OS transport log its listens, binds and dials at
// debug level on l (named "os"). A nil l keeps the no-op logger.
func WithLogger(l *zap.Logger) Option {
	return optionFunc(func(o *OS) {
		if l != nil {
			o.log = l.Named("os")
		}
	})
}

// WithResolver makes the OS transport resolve names with r instead of
// net.DefaultResolver. A nil r keeps the default.
func WithResolver(r *net.Resolver) Option {
	return optionFunc(func(o *OS) {
		if r != nil {
			o.resolver = r
		}
	})
}
