package netsock

import (
	"net"

	"go.uber.org/zap"

	"github.com/slotnet/slotnet/transport"
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
// net.DefaultResolver: a *net.Resolver, or the *transport.Resolver of
// transport.NewResolver. A nil r keeps the default.
func WithResolver(r Resolver) Option {
	return optionFunc(func(o *Transport) {
		if !isNil(r) {
			o.resolver = r
		}
	})
}

// isNil reports whether r is nil or a typed nil of the known resolver types.
func isNil(r Resolver) bool {
	switch v := r.(type) {
	case nil:
		return true
	case *net.Resolver:
		return v == nil
	case *transport.Resolver:
		return v == nil
	}
	return false
}
