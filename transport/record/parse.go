package record

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"golang.org/x/tools/txtar"
)

// Parse reads a script in its text form. Errors wrap ErrSyntax and name
// the header line or the section at fault; Parse never panics, whatever
// the input.
func Parse(text []byte) (*Script, error) {
	a := txtar.Parse(text)
	s := &Script{}
	if err := s.parseHeader(a.Comment); err != nil {
		return nil, err
	}
	for i, f := range a.Files {
		e, err := parseSection(f.Name, f.Data)
		if err != nil {
			return nil, fmt.Errorf("section %d %q: %w", i+1, f.Name, err)
		}
		s.Events = append(s.Events, e)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// parseHeader reads comment, conn and udp lines; blank lines are skipped.
func (s *Script) parseHeader(h []byte) error {
	for i, line := range strings.Split(string(h), "\n") {
		line = strings.TrimLeft(strings.TrimRight(line, "\r"), " \t")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if c, ok := strings.CutPrefix(line, "#"); ok {
			s.Comment = append(s.Comment, strings.TrimPrefix(c, " "))
			continue
		}
		if err := s.parseDecl(strings.Fields(line)); err != nil {
			return fmt.Errorf("header line %d %q: %w", i+1, line, err)
		}
	}
	return nil
}

// parseDecl reads "conn N CLIENT -> SERVER" or "udp N LOCAL".
func (s *Script) parseDecl(w []string) error {
	switch {
	case len(w) == 5 && w[0] == "conn" && w[3] == "->":
		id, err := parseID(w[1])
		if err != nil {
			return err
		}
		c := Conn{ID: id}
		if c.Client, err = parseAddrPort(w[2]); err != nil {
			return err
		}
		if c.Server, err = parseAddrPort(w[4]); err != nil {
			return err
		}
		s.Conns = append(s.Conns, c)
	case len(w) == 3 && w[0] == "udp":
		id, err := parseID(w[1])
		if err != nil {
			return err
		}
		local, err := parseAddrPort(w[2])
		if err != nil {
			return err
		}
		s.Sockets = append(s.Sockets, Socket{ID: id, Local: local})
	default:
		return syntaxErr(`want "conn N CLIENT -> SERVER", "udp N LOCAL" or a "#" comment`)
	}
	return nil
}

// parseSection reads one event from its section line and body.
func parseSection(name string, body []byte) (Event, error) {
	w := strings.Fields(name)
	var e Event
	var rest []string
	var err error
	switch {
	case len(w) >= 3 && w[0] == "conn" && w[2] == "open":
		e.Kind, rest = Open, w[3:]
		e.ID, err = parseID(w[1])
	case len(w) >= 4 && w[0] == "conn":
		rest = w[4:]
		e.ID, err = parseID(w[1])
		if err == nil {
			e.Side, e.Kind, err = parseConnAction(w[2], w[3])
		}
	case len(w) >= 5 && w[0] == "udp" && w[3] == "send":
		e.Kind, rest = Datagram, w[5:]
		e.ID, err = parseID(w[1])
		if err == nil {
			e.Side, err = parseSide(w[2])
		}
		if err == nil {
			e.Peer, err = parseAddrPort(w[4])
		}
	case len(w) >= 2 && (w[0] == "lookup" || w[0] == "lookupaddr"):
		e.Kind, e.Name, rest = Lookup, w[1], w[2:]
		if w[0] == "lookupaddr" {
			e.Kind = LookupAddr
		}
	default:
		return e, syntaxErr("unknown section; want conn, udp, lookup or lookupaddr")
	}
	if err != nil {
		return e, err
	}
	return e, e.parseRest(rest, body)
}

// parseRest reads the optional "+DELAY" and encoding words, then the body.
func (e *Event) parseRest(rest []string, body []byte) error {
	if len(rest) > 0 && strings.HasPrefix(rest[0], "+") {
		d, err := parseDelay(rest[0])
		if err != nil {
			return err
		}
		e.Delay, rest = d, rest[1:]
	}
	enc := plain
	hasData := e.Kind == Send || e.Kind == Datagram
	if len(rest) > 0 && hasData && (rest[0] == crlf || rest[0] == quoted || rest[0] == regexpEnc) {
		enc, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return syntaxErr("unexpected %q", strings.Join(rest, " "))
	}
	switch {
	case enc == regexpEnc:
		e.Regexp = true
		e.Data = bytes.TrimSuffix(body, []byte("\n"))
	case hasData:
		data, err := decode(body, enc)
		if err != nil {
			return err
		}
		if len(data) > 0 {
			e.Data = data
		}
	case e.Kind == Lookup || e.Kind == LookupAddr:
		return e.parseAnswers(body)
	case len(bytes.TrimSpace(body)) > 0:
		return syntaxErr("a %v section has no body", e.Kind)
	}
	return nil
}

// parseAnswers reads a lookup's body: one answer a line, or one line
// "error KIND".
func (e *Event) parseAnswers(body []byte) error {
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "error ") || line == "error":
			kind := LookupError(strings.TrimSpace(strings.TrimPrefix(line, "error")))
			if kind == "" || e.Err != "" {
				return syntaxErr(`want one line "error nxdomain", "error servfail" or "error timeout"`)
			}
			e.Err = kind
		default:
			e.Answers = append(e.Answers, line)
		}
	}
	return nil
}

// parseConnAction reads "client send", "server fin" and the like.
func parseConnAction(side, verb string) (Side, Kind, error) {
	sd, err := parseSide(side)
	if err != nil {
		return 0, 0, err
	}
	for _, k := range []Kind{Send, Fin, Close, Reset} {
		if verb == k.String() {
			return sd, k, nil
		}
	}
	return 0, 0, syntaxErr("unknown action %q; want send, fin, close or reset", verb)
}

func parseSide(w string) (Side, error) {
	switch w {
	case "client":
		return Client, nil
	case "server":
		return Server, nil
	}
	return 0, syntaxErr("unknown side %q; want client or server", w)
}

func parseID(w string) (int, error) {
	id, err := strconv.Atoi(w)
	if err != nil || id <= 0 {
		return 0, syntaxErr("bad ID %q", w)
	}
	return id, nil
}

func parseAddrPort(w string) (netip.AddrPort, error) {
	ap, err := netip.ParseAddrPort(w)
	if err != nil {
		return ap, syntaxErr("bad address %q", w)
	}
	return ap, nil
}

// ParseFile reads and parses the script in the named file (a test's
// testdata/session.txt, say); errors name the file.
func ParseFile(name string) (*Script, error) {
	text, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	s, err := Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}
