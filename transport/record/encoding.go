package record

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// How a section's body holds its bytes. The last word of the section line
// names it; plain has none.
const (
	plain  = ""       // the body is the bytes: printable text ending in a newline
	crlf   = "crlf"   // the body is the bytes with every "\r\n" written as "\n"
	quoted = "quoted" // one Go double-quoted string a line; the bytes are their concatenation

	regexpEnc = "regexp" // a client's send: the body's one line is a pattern (Event.Regexp)
)

// quotedWidth is how many bytes of data a quoted line holds at most; lines
// also break after every newline in the data.
const quotedWidth = 64

// encodingOf picks the most readable form that gives data back exactly.
func encodingOf(data []byte) string {
	switch {
	case len(data) == 0 || isPlain(data):
		return plain
	case bytes.HasSuffix(data, []byte("\r\n")) && isPlain(fromCRLF(data)):
		return crlf
	}
	return quoted
}

// isPlain reports whether data can be a body as it is: valid UTF-8 of
// printable characters and tabs in lines that end in "\n", with no
// trailing blanks an editor might strip and no line that reads as a
// section line.
func isPlain(data []byte) bool {
	if !utf8.Valid(data) || !bytes.HasSuffix(data, []byte("\n")) {
		return false
	}
	for line := range bytes.Lines(data) {
		line = line[:len(line)-1]
		if isMarkerLine(line) || bytes.HasSuffix(line, []byte(" ")) || bytes.HasSuffix(line, []byte("\t")) {
			return false
		}
		for _, r := range string(line) {
			if r != '\t' && !strconv.IsPrint(r) {
				return false
			}
		}
	}
	return true
}

// isMarkerLine reports whether a line would start a new section in txtar.
func isMarkerLine(line []byte) bool {
	return len(line) >= 6 && bytes.HasPrefix(line, []byte("-- ")) && bytes.HasSuffix(bytes.TrimSuffix(line, []byte("\r")), []byte(" --"))
}

// fromCRLF turns data whose lines all end in "\r\n" into "\n" lines; it
// returns nil when some "\n" lacks its "\r" (or data has a lone "\r").
func fromCRLF(data []byte) []byte {
	out := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if bytes.Count(out, []byte("\n")) != bytes.Count(data, []byte("\n")) || bytes.IndexByte(out, '\r') >= 0 {
		return nil
	}
	return out
}

// encode writes data in the given form.
func encode(data []byte, enc string) []byte {
	switch enc {
	case crlf:
		return fromCRLF(data)
	case quoted:
		return quoteLines(data)
	}
	return data
}

// quoteLines writes data as Go-quoted lines, breaking after each newline
// and every quotedWidth bytes (at a character boundary when it can).
func quoteLines(data []byte) []byte {
	var b bytes.Buffer
	for len(data) > 0 {
		n := len(data)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			n = i + 1
		}
		if n > quotedWidth {
			n = quotedWidth
			for n > quotedWidth-utf8.UTFMax && !utf8.RuneStart(data[n]) {
				n--
			}
		}
		b.WriteString(strconv.Quote(string(data[:n])))
		b.WriteByte('\n')
		data = data[n:]
	}
	return b.Bytes()
}

// decode reads a body written in the given form.
func decode(body []byte, enc string) ([]byte, error) {
	switch enc {
	case crlf:
		return bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n")), nil
	case quoted:
		return unquoteLines(body)
	}
	return body, nil
}

// unquoteLines reads a quoted body: one double-quoted Go string a line;
// blank lines are skipped.
func unquoteLines(body []byte) ([]byte, error) {
	var out []byte
	for i, line := range strings.Split(string(body), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if line[0] != '"' {
			return nil, syntaxErr("quoted line %d: %.40q is not a double-quoted string", i+1, line)
		}
		s, err := strconv.Unquote(line)
		if err != nil {
			return nil, syntaxErr("quoted line %d: %.40q: %v", i+1, line, err)
		}
		out = append(out, s...)
	}
	return out, nil
}
