package record

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// QuoteRegexp returns a one-line pattern, fit for an Event with Regexp
// set, that matches exactly b: regexp.QuoteMeta with line breaks, tabs and
// other unprintable characters written as escapes. Go's regexp package
// reads a byte that is not UTF-8 as U+FFFD, so such a byte matches any
// other such byte. A redaction hook builds its pattern from it:
//
//	e.Data = []byte(record.QuoteRegexp(before) + `[^\r]*` + record.QuoteRegexp(after))
//	e.Regexp = true
func QuoteRegexp(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		switch {
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r == utf8.RuneError && n == 1, !strconv.IsPrint(r):
			fmt.Fprintf(&sb, `\x{%x}`, r)
		default:
			sb.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return sb.String()
}
