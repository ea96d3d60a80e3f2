package spy

// Option configures a Recorder made by New.
type Option interface {
	apply(*Recorder)
}

type optionFunc func(*Recorder)

func (f optionFunc) apply(r *Recorder) { f(r) }

// WithFormat sets how Sequence, and so AssertSequence, renders the argument
// of an emission of a signal with one (a Signal[T]): format returns the text
// written after the name and a space, or "" for the name alone. It is called
// without the Recorder's lock held, with the event's name and argument. The
// default is fmt's %v, which uses a String or Error method when the argument
// has one.
func WithFormat(format func(name string, arg any) string) Option {
	return optionFunc(func(r *Recorder) { r.format = format })
}
