package record

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/txtar"
)

// Marshal writes s in its text form (see the package documentation): a
// txtar archive whose comment is the header and whose files are the
// events. It fails, wrapping ErrSyntax, when s does not Validate.
func Marshal(s *Script) ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	a := &txtar.Archive{Comment: []byte(s.header())}
	for i := range s.Events {
		name, body := s.Events[i].section()
		a.Files = append(a.Files, txtar.File{Name: name, Data: body})
	}
	return txtar.Format(a), nil
}

// header writes the comment lines, then one line per connection and
// datagram socket.
func (s *Script) header() string {
	var b strings.Builder
	for _, c := range s.Comment {
		if c == "" {
			b.WriteString("#\n")
		} else {
			fmt.Fprintf(&b, "# %s\n", c)
		}
	}
	for _, c := range s.Conns {
		fmt.Fprintf(&b, "conn %d %v -> %v\n", c.ID, c.Client, c.Server)
	}
	for _, k := range s.Sockets {
		fmt.Fprintf(&b, "udp %d %v\n", k.ID, k.Local)
	}
	return b.String()
}

// section returns the event's section line (without the dashes) and body.
func (e *Event) section() (string, []byte) {
	var words []string
	var body []byte
	enc := plain
	switch e.Kind {
	case Open:
		words = []string{"conn", strconv.Itoa(e.ID), "open"}
	case Send, Fin, Close, Reset:
		words = []string{"conn", strconv.Itoa(e.ID), e.Side.String(), e.Kind.String()}
	case Datagram:
		words = []string{"udp", strconv.Itoa(e.ID), e.Side.String(), "send", e.Peer.String()}
	case Lookup, LookupAddr:
		words = []string{e.Kind.String(), e.Name}
		body = e.answerBody()
	}
	switch {
	case e.Regexp:
		enc, body = regexpEnc, append(slices.Clone(e.Data), '\n')
	case e.Kind == Send || e.Kind == Datagram:
		enc = encodingOf(e.Data)
		body = encode(e.Data, enc)
	}
	if e.Delay != 0 {
		words = append(words, "+"+e.Delay.String())
	}
	if enc != plain {
		words = append(words, enc)
	}
	return strings.Join(words, " "), body
}

// answerBody writes a lookup's answers one a line, or its error.
func (e *Event) answerBody() []byte {
	if e.Err != "" {
		return []byte("error " + string(e.Err) + "\n")
	}
	var b strings.Builder
	for _, a := range e.Answers {
		b.WriteString(a)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// parseDelay reads "+1.5ms".
func parseDelay(w string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimPrefix(w, "+"))
	if err != nil || d < 0 {
		return 0, syntaxErr("bad delay %q", w)
	}
	return d, nil
}
