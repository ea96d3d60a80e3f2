package netsock

import (
	"net"

	"go.uber.org/zap"
)

// Option configures an OS transport built by New.
type Option interface {
	apply(*Transport)
}

type optionFunc func(*Transport)

func (f optionFunc) apply(o *Transport) { f(o) }

// WithLogger makes the OS transport log its listens, binds and dials at
// debug level on l (named "os"). A nil l keeps the no-op logger.
func WithLogger(l *zap.Logger) Option {
	return optionFunc(func(o *Transport) {
		if l != nil {
			o.log = l.Named("os")
		}
	})
}

// WithResolver makes the OS transport resolve names with r instead of
// net.DefaultResolver. A nil r keeps the default.
func WithResolver(r *net.Resolver) Option {
	return optionFunc(func(o *Transport) {
		if r != nil {
			o.resolver = r
		}
	})
}
