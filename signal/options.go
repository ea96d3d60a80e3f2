package signal

import "fmt"

// ConnectOption configures one Connect call: WithKind (or a Kind itself),
// To, UniqueConnection and SingleShotConnection.
type ConnectOption interface {
	apply(*connectConfig)
}

// connectConfig is what the options of one Connect call add up to.
type connectConfig struct {
	kind   Kind
	recv   Receiver
	hasTo  bool
	key    string
	unique bool
	single bool
}

type optionFunc func(*connectConfig)

func (f optionFunc) apply(c *connectConfig) { f(c) }

// WithKind sets the connection kind (Auto when not given).
func WithKind(k Kind) ConnectOption { return k }

// To sets the receiver (Qt's context object): queued calls run on its loop,
// Auto decides from its loop, and the connection dies when its Host is
// destroyed. A receiver that points to a struct with a signal field bound
// to no Host is refused with ErrUnbound: its constructor forgot
// BindSignals.
func To(r Receiver) ConnectOption {
	return optionFunc(func(c *connectConfig) { c.recv, c.hasTo = r, true })
}

// UniqueConnection refuses the connection with ErrDuplicateConnection when the signal
// already has a live connection made with the same key. Go functions are
// not comparable, so the caller names the connection instead.
func UniqueConnection(key string) ConnectOption {
	return optionFunc(func(c *connectConfig) { c.key, c.unique = key, true })
}

// SingleShotConnection makes the connection disconnect itself when it fires: the slot
// runs at most once, even when several goroutines emit at the same time.
func SingleShotConnection() ConnectOption {
	return optionFunc(func(c *connectConfig) { c.single = true })
}

// newConfig applies opts and checks the result.
func newConfig(opts []ConnectOption) (connectConfig, *Host, error) {
	var cfg connectConfig
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if !cfg.kind.valid() {
		return cfg, nil, fmt.Errorf("%w: unknown kind %v", ErrInvalidOption, cfg.kind)
	}
	if cfg.unique && cfg.key == "" {
		return cfg, nil, fmt.Errorf("%w: empty UniqueConnection key", ErrInvalidOption)
	}
	if !cfg.hasTo {
		return cfg, nil, nil
	}
	var h *Host
	if cfg.recv != nil {
		h = cfg.recv.SignalHost()
	}
	if h == nil {
		return cfg, nil, fmt.Errorf("%w: nil receiver", ErrInvalidOption)
	}
	if err := checkBound(cfg.recv); err != nil {
		return cfg, nil, err
	}
	return cfg, h, nil
}
