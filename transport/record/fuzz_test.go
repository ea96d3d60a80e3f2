package record

import (
	"net/netip"
	"testing"
	"time"
)

// FuzzParse: any text either fails with an error or parses to a script
// that Marshal writes and Parse reads back unchanged; nothing panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("conn 1 127.0.0.1:1 -> 127.0.0.1:2\n-- conn 1 client send quoted --\n\"\\xff\"\n"))
	f.Add([]byte("-- lookup x --\nerror timeout\n"))
	f.Add([]byte("conn 1 127.0.0.1:1 -> 127.0.0.1:2\n-- conn 1 client send regexp --\nGET /[a-z]+\\r\\n\n"))
	f.Add([]byte("conn 1 [::1]:1 -> [fe80::1%eth0]:2\n-- conn 1 server send crlf +1h2m3.5s --\na\n\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		s, err := Parse(text)
		if err != nil {
			return
		}
		out, err := Marshal(s)
		if err != nil {
			t.Fatalf("Marshal of a parsed script: %v", err)
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse of Marshal's output: %v\n%s", err, out)
		}
		if !equalScripts(s, back) {
			t.Fatalf("round trip changed the script:\n%s", out)
		}
		again, err := Marshal(back)
		if err != nil || string(again) != string(out) {
			t.Fatalf("Marshal is not canonical: %v\n%s\n---\n%s", err, out, again)
		}
	})
}

// FuzzRoundTrip: any bytes sent in either direction, and any delay, come
// back exactly from Parse(Marshal(s)).
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("hello\n"), []byte("HELLO\n"), int64(1500))
	f.Add([]byte("a\r\nb\r\n"), []byte{}, int64(0))
	f.Add([]byte("-- x --\n"), []byte("\xff\xfe\x00"), int64(time.Hour))
	f.Add([]byte(" \n\t\n"), []byte("\u2028\n"), int64(1))
	f.Fuzz(func(t *testing.T, client, server []byte, delay int64) {
		if delay < 0 {
			delay = -delay
		}
		if delay < 0 {
			delay = 0
		}
		s := &Script{
			Conns:   []Conn{{ID: 1, Client: netip.MustParseAddrPort("127.0.0.1:1"), Server: netip.MustParseAddrPort("127.0.0.1:2")}},
			Sockets: []Socket{{ID: 1, Local: netip.MustParseAddrPort("[::1]:3")}},
			Events: []Event{
				{Kind: Open, ID: 1},
				{Kind: Send, ID: 1, Side: Client, Data: client, Delay: time.Duration(delay)},
				{Kind: Send, ID: 1, Side: Server, Data: server},
				{Kind: Datagram, ID: 1, Side: Server, Peer: netip.MustParseAddrPort("[::1]:4"), Data: client},
				{Kind: Send, ID: 1, Side: Client, Data: append(append([]byte{}, server...), client...)},
			},
		}
		out, err := Marshal(s)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse: %v\n%s", err, out)
		}
		if !equalScripts(s, back) {
			t.Fatalf("round trip changed the script:\n%s", out)
		}
	})
}
