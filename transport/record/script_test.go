package record

import (
	"bytes"
	"net/netip"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sample is a script in canonical form with every kind of section.
const sample = `# recorded by TestSample
#
conn 1 127.0.0.1:41000 -> 127.0.0.1:8080
conn 2 127.0.0.1:41002 -> 10.0.0.2:6379
udp 1 127.0.0.1:53000
-- lookup www.example.test +150µs --
10.0.0.2
2001:db8::2
-- lookup gone.example.test --
error nxdomain
-- lookupaddr 10.0.0.2 --
www.example.test.
-- conn 1 open +1.2ms --
-- conn 1 client send +10µs --
hello
-- conn 1 server send +1ms --
HELLO
-- conn 1 client send crlf --
GET / HTTP/1.1
Host: x

-- conn 1 client send quoted --
"no newline"
-- conn 1 server send quoted --
"\x00\x01\xffline\n"
"-- looks like a marker --\n"
-- conn 1 client fin --
-- conn 1 server fin +2s --
-- conn 2 open --
-- conn 2 client reset --
-- udp 1 client send 10.0.0.2:53 --
query
-- udp 1 server send 10.0.0.2:53 +5ms quoted --
"\x00answer"
-- conn 1 client close --
`

func TestSampleRoundTrip(t *testing.T) {
	s, err := Parse([]byte(sample))
	require.NoError(t, err)
	assert.Equal(t, []string{"recorded by TestSample", ""}, s.Comment)
	require.Len(t, s.Conns, 2)
	assert.Equal(t, Conn{ID: 2, Client: netip.MustParseAddrPort("127.0.0.1:41002"), Server: netip.MustParseAddrPort("10.0.0.2:6379")}, s.Conns[1])
	require.Len(t, s.Events, 16)

	assert.Equal(t, Event{Kind: Lookup, Name: "www.example.test", Delay: 150 * time.Microsecond,
		Answers: []string{"10.0.0.2", "2001:db8::2"}}, s.Events[0])
	assert.Equal(t, NXDomain, s.Events[1].Err)
	assert.Equal(t, Event{Kind: Open, ID: 1, Delay: 1200 * time.Microsecond}, s.Events[3])
	assert.Equal(t, "hello\n", string(s.Events[4].Data))
	assert.Equal(t, Server, s.Events[5].Side)
	assert.Equal(t, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", string(s.Events[6].Data))
	assert.Equal(t, "no newline", string(s.Events[7].Data))
	assert.Equal(t, "\x00\x01\xffline\n-- looks like a marker --\n", string(s.Events[8].Data))
	assert.Equal(t, Event{Kind: Fin, ID: 1, Side: Server, Delay: 2 * time.Second}, s.Events[10])
	assert.Equal(t, Event{Kind: Reset, ID: 2}, s.Events[12])
	assert.Equal(t, Event{Kind: Datagram, ID: 1, Side: Server, Peer: netip.MustParseAddrPort("10.0.0.2:53"),
		Delay: 5 * time.Millisecond, Data: []byte("\x00answer")}, s.Events[14])
	assert.Equal(t, Close, s.Events[15].Kind)

	out, err := Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, sample, string(out), "the canonical text round-trips byte for byte")
}

// TestEncodingChoice pins which form each kind of data gets, and that each
// gives the bytes back.
func TestEncodingChoice(t *testing.T) {
	for _, tc := range []struct {
		data, enc string
	}{
		{"", plain},
		{"hello\n", plain},
		{"tab\tseparated\n", plain},
		{"héllo wörld\n", plain},
		{"hello", quoted},             // no final newline
		{"trailing space \n", quoted}, // an editor would strip it
		{"a\r\nb\r\n", crlf},
		{"a\r\nb\n", quoted},    // mixed line endings
		{"a\rb\r\n", quoted},    // a lone CR
		{"\x00\n", quoted},      // a control byte
		{"\xff\n", quoted},      // not UTF-8
		{"-- x --\n", quoted},   // reads as a section line
		{"-- x --\r\n", quoted}, // also with CRLF
		{"\u200b\n", quoted},    // an invisible character
		{strings.Repeat("x", 200), quoted},
	} {
		enc := encodingOf([]byte(tc.data))
		assert.Equal(t, tc.enc, enc, "%q", tc.data)
		back, err := decode(encode([]byte(tc.data), enc), enc)
		require.NoError(t, err)
		assert.Equal(t, tc.data, string(back), "%q", tc.data)
	}
}

func TestQuotedLinesBreak(t *testing.T) {
	data := []byte(strings.Repeat("é", 40) + "\n" + "end")
	body := quoteLines(data)
	for line := range strings.Lines(string(body)) {
		assert.LessOrEqual(t, len(line), 2*quotedWidth, "a quoted line stays short: %s", line)
	}
	back, err := unquoteLines(body)
	require.NoError(t, err)
	assert.Equal(t, data, back)
}

// TestParseLenient: hand-edited text — blank lines, indentation, a final
// section with no newline, a quoted body with blank lines — parses, and
// Marshal writes its canonical form.
func TestParseLenient(t *testing.T) {
	text := "\n  # note\n\n   conn 1 127.0.0.1:1 -> 127.0.0.1:2\n" +
		"--   conn 1 client send   +1ms   quoted --\n\n\"a\"\n\n  \"b\"  \n" +
		"-- lookup x.test --\n\n 10.0.0.1 \n\n" +
		"-- conn 1 server send --\nno final newline"
	s, err := Parse([]byte(text))
	require.NoError(t, err)
	assert.Equal(t, []string{"note"}, s.Comment)
	assert.Equal(t, "ab", string(s.Events[0].Data))
	assert.Equal(t, []string{"10.0.0.1"}, s.Events[1].Answers)
	assert.Equal(t, "no final newline\n", string(s.Events[2].Data), "txtar ends every file with a newline")
	out, err := Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, "# note\nconn 1 127.0.0.1:1 -> 127.0.0.1:2\n"+
		"-- conn 1 client send +1ms quoted --\n\"ab\"\n"+
		"-- lookup x.test --\n10.0.0.1\n"+
		"-- conn 1 server send --\nno final newline\n", string(out))
}

func TestParseErrors(t *testing.T) {
	const hdr = "conn 1 127.0.0.1:1 -> 127.0.0.1:2\nudp 1 127.0.0.1:3\n"
	for _, tc := range []struct{ text, want string }{
		{"bogus line\n", `header line 1 "bogus line": record: bad script: want "conn N CLIENT -> SERVER"`},
		{"conn 0 127.0.0.1:1 -> 127.0.0.1:2\n", `bad ID "0"`},
		{"conn 1 127.0.0.1 -> 127.0.0.1:2\n", `bad address "127.0.0.1"`},
		{hdr + hdr, "conn 1: IDs are positive and unique"},
		{hdr + "-- conn 2 open --\n", "event 0: record: bad script: conn 2 is not in the header"},
		{hdr + "-- conn 1 server close --\n", "conn 1 close is the client's"},
		{hdr + "-- conn 1 server shout --\n", `section 1 "conn 1 server shout": record: bad script: unknown action "shout"`},
		{hdr + "-- conn 1 them send --\n", `unknown side "them"`},
		{hdr + "-- conn 1 client send +-1s --\n", `bad delay "+-1s"`},
		{hdr + "-- conn 1 client send +1 --\n", `bad delay "+1"`},
		{hdr + "-- conn 1 client send quoted extra --\n", `unexpected "extra"`},
		{hdr + "-- conn 1 client send quoted --\nnot quoted\n", `quoted line 1: "not quoted" is not a double-quoted string`},
		{hdr + "-- conn 1 client send quoted --\n\"bad \\q\"\n", `quoted line 1`},
		{hdr + "-- conn 1 client fin --\ndata\n", "a fin section has no body"},
		{hdr + "-- conn 1 open crlf --\n", `unexpected "crlf"`},
		{hdr + "-- udp 2 client send 127.0.0.1:1 --\n", "udp 2 is not in the header"},
		{hdr + "-- udp 1 client send nowhere --\n", `bad address "nowhere"`},
		{hdr + "-- lookup x.test --\nerror\n", `want one line "error nxdomain"`},
		{hdr + "-- lookup x.test --\nerror nxdomain\nerror servfail\n", `want one line "error nxdomain"`},
		{hdr + "-- lookup x.test --\nerror dunno\n", `unknown error "dunno"`},
		{hdr + "-- lookup x.test --\nerror nxdomain\n10.0.0.1\n", "a failed lookup has no answers"},
		{hdr + "-- lookup x.test --\nnot-an-address\n", `answer "not-an-address" is not an address`},
		{hdr + "-- lookup x.test --\n10.0.0.1 10.0.0.2\n", `bad answer "10.0.0.1 10.0.0.2"`},
		{hdr + "-- shout --\n", "unknown section; want conn, udp, lookup or lookupaddr"},
	} {
		_, err := Parse([]byte(tc.text))
		if assert.Error(t, err, tc.text) {
			assert.ErrorIs(t, err, ErrSyntax)
			assert.Contains(t, err.Error(), tc.want, tc.text)
		}
	}
}

func TestMarshalRefusesUnwritable(t *testing.T) {
	c := Conn{ID: 1, Client: netip.MustParseAddrPort("127.0.0.1:1"), Server: netip.MustParseAddrPort("127.0.0.1:2")}
	for _, tc := range []struct {
		s    Script
		want string
	}{
		{Script{Comment: []string{"two\nlines"}}, "comment 0 has a line break"},
		{Script{Conns: []Conn{{ID: 1}}}, "conn 1: client and server need addresses"},
		{Script{Conns: []Conn{c}, Events: []Event{{Kind: Fin, ID: 1, Data: []byte("x")}}}, "a fin event carries no data"},
		{Script{Conns: []Conn{c}, Events: []Event{{Kind: Send, ID: 1, Name: "x"}}}, "a send event has no name"},
		{Script{Events: []Event{{Kind: Lookup, Name: "a name"}}}, `bad name "a name"`},
		{Script{Events: []Event{{Kind: Lookup, Name: "x", ID: 1}}}, "a lookup event has no ID or side"},
		{Script{Events: []Event{{Kind: Kind(99)}}}, "unknown kind Kind(99)"},
		{Script{Conns: []Conn{c}, Events: []Event{{Kind: Send, ID: 1, Delay: -1}}}, "negative delay"},
	} {
		_, err := Marshal(&tc.s)
		if assert.Error(t, err) {
			assert.ErrorIs(t, err, ErrSyntax)
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

// equalScripts compares two scripts, taking nil and empty slices as equal.
func equalScripts(a, b *Script) bool {
	if len(a.Comment) != len(b.Comment) || len(a.Conns) != len(b.Conns) ||
		len(a.Sockets) != len(b.Sockets) || len(a.Events) != len(b.Events) {
		return false
	}
	for i := range a.Comment {
		if a.Comment[i] != b.Comment[i] {
			return false
		}
	}
	for i := range a.Conns {
		if a.Conns[i] != b.Conns[i] {
			return false
		}
	}
	for i := range a.Sockets {
		if a.Sockets[i] != b.Sockets[i] {
			return false
		}
	}
	for i := range a.Events {
		x, y := a.Events[i], b.Events[i]
		if !bytes.Equal(x.Data, y.Data) || strings.Join(x.Answers, "\n") != strings.Join(y.Answers, "\n") || len(x.Answers) != len(y.Answers) {
			return false
		}
		x.Data, y.Data, x.Answers, y.Answers = nil, nil, nil, nil
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// TestRegexpSection: a client's send may be a pattern, written on one
// line after "regexp"; it round-trips, and bad ones are refused.
func TestRegexpSection(t *testing.T) {
	const text = "conn 1 127.0.0.1:1 -> 127.0.0.1:2\n" +
		"-- conn 1 client send +1ms regexp --\n" +
		`GET /\?nonce=[0-9a-f]+ HTTP/1\.1\r\n` + "\n"
	s, err := Parse([]byte(text))
	require.NoError(t, err)
	require.Len(t, s.Events, 1)
	assert.True(t, s.Events[0].Regexp)
	assert.Equal(t, `GET /\?nonce=[0-9a-f]+ HTTP/1\.1\r\n`, string(s.Events[0].Data))
	out, err := Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, text, string(out))

	const hdr = "conn 1 127.0.0.1:1 -> 127.0.0.1:2\nudp 1 127.0.0.1:3\n"
	for _, tc := range []struct{ text, want string }{
		{hdr + "-- conn 1 server send regexp --\nx\n", "only a client's conn send can be a regexp"},
		{hdr + "-- udp 1 client send 127.0.0.1:9 regexp --\nx\n", "only a client's conn send can be a regexp"},
		{hdr + "-- conn 1 client send regexp --\n", "a regexp is one non-empty line"},
		{hdr + "-- conn 1 client send regexp --\na\nb\n", "a regexp is one non-empty line"},
		{hdr + "-- conn 1 client send regexp --\n(unclosed\n", "bad regexp: error parsing regexp: missing closing )"},
		{hdr + "-- conn 1 open regexp --\n", `unexpected "regexp"`},
	} {
		_, err := Parse([]byte(tc.text))
		if assert.Error(t, err, tc.text) {
			assert.Contains(t, err.Error(), tc.want, tc.text)
		}
	}
}

func TestQuoteRegexp(t *testing.T) {
	for _, b := range []string{"", "hello\n", "*2\r\n$4\r\nAUTH\r\n", "a.b+c?(d)[e]{f}|g^h$i\\", "\x00\x7f\t", "é€\u200b"} {
		p := QuoteRegexp([]byte(b))
		assert.NotContains(t, p, "\n")
		re := regexp.MustCompile(`^(?:` + p + `)$`)
		assert.True(t, re.MatchString(b), "%q does not match %q", p, b)
		assert.False(t, re.MatchString(b+"x"), "%q", p)
	}
	assert.Equal(t, `\*2\r\n\$4\r\nAUTH\r\n`, QuoteRegexp([]byte("*2\r\n$4\r\nAUTH\r\n")))
	assert.True(t, regexp.MustCompile(QuoteRegexp([]byte("a\xffb"))).MatchString("a\xfeb"), "invalid bytes match each other")
}
