// Package record records a client's real network session into an editable
// text script and replays it as a scripted server over the in-memory
// network, so that a test captured once against a real server (a web
// server, redis, a DNS server) runs afterwards in memory, offline, under
// testing/synctest, with the same bytes.
//
// # Record
//
// A Recorder is a transport.Transport that wraps another, usually the OS
// transport of package transport/netsock, and records what the code using
// it observes:
//
//	rec := record.New(netsock.New(), record.WithRedaction(hidePassword))
//	... run the client with rec as its transport ...
//	text, err := rec.Marshal() // save it as testdata/session.txt
//
// For every stream it dials it records the bytes the client writes, the
// bytes its Reads return, and how each end closed: the client's
// CloseWrite (fin), Close (close) or Abort (reset); the server's FIN (a
// Read's io.EOF) or reset (ECONNRESET). It records every datagram its
// sockets send and receive, and every LookupHost and LookupAddr with the
// answer (an IP literal is not a lookup and is not recorded). Each event
// carries the time since the previous one. The redaction hook of
// WithRedaction sees each chunk and each answer before Script (and
// Marshal) hands them out, and may change them: hide a password, a cookie,
// an internal address — or turn the client's chunk that carries it into a
// pattern, so that the replay accepts any password. Streams accepted
// through Listen are not recorded: the recorded side is a client.
//
// A Recorder keeps a copy of every chunk in memory until the test ends:
// it is made for sessions of test size, not for bulk transfers
// (BenchmarkStream: two allocations and a 4 KiB copy per 4 KiB chunk
// echoed, where the in-memory network alone allocates nothing).
//
// # The script
//
// A Script is plain data and its text form is a txtar archive
// (golang.org/x/tools/txtar): a header, then one section per event, in
// order. The header has "#" comment lines, one line per connection and
// one per datagram socket:
//
//	# redis, recorded by TestRecordReplayRedis
//	conn 1 127.0.0.1:53890 -> 127.0.0.1:6379
//	udp 1 127.0.0.1:41000
//
// A section line names the event, an optional "+DELAY" since the
// previous event (a time.Duration, microseconds by default), and for
// data an optional encoding; the body follows:
//
//	-- lookup cache.example.test +150µs --     the answer: one address a line,
//	127.0.0.1                                  or "error nxdomain|servfail|timeout"
//	-- lookupaddr 127.0.0.1 --                 a reverse lookup: one name a line
//	-- conn 1 open +1.2ms --                   the client's dial succeeded
//	-- conn 1 client send --                   bytes the client wrote
//	-- conn 1 server send +12ms crlf --        bytes the client read
//	-- conn 1 client fin --                    client CloseWrite
//	-- conn 1 client close --                  client Close
//	-- conn 1 client reset --                  client Abort
//	-- conn 1 server fin --                    the client read io.EOF
//	-- conn 1 server reset --                  the client met ECONNRESET
//	-- udp 1 client send 10.0.0.2:53 --        a datagram the client sent to 10.0.0.2:53
//	-- udp 1 server send 10.0.0.2:53 quoted -- a datagram the client received from it
//
// A body holds its bytes exactly, in the most readable of three forms,
// which Marshal picks and the section line names:
//
//   - plain (no word): the body is the bytes. Marshal uses it for
//     printable UTF-8 text whose lines all end in "\n", with no trailing
//     blanks and no line that reads as a section line.
//   - crlf: the body is the bytes with every "\r\n" written as "\n", for
//     text protocols with CRLF lines (HTTP headers, RESP, SMTP).
//   - quoted: one Go double-quoted string a line (strconv.Quote; blank
//     lines are skipped); the bytes are the concatenation of the unquoted
//     lines. Marshal breaks the lines after each "\n" and every 64 bytes.
//     Anything fits: binary data, a missing final newline, "\r" alone.
//
// A client's conn send can also be a pattern instead of bytes: the word
// regexp, and one line of RE2 syntax (QuoteRegexp writes the literal
// parts), for what changes from run to run — a date, a nonce, a password.
// The replay matches it with peer's ExpectRegexp; end it with a delimiter:
//
//	-- conn 1 client send regexp --
//	\*2\r\n\$4\r\nAUTH\r\n\$\d+\r\n[^\r]*\r\n
//
// Edit a script by hand freely: Parse accepts blank lines, indentation,
// any of the three forms for any bytes, and a missing final newline
// (txtar adds one, so use quoted for data that has none). Marshal(Parse(x))
// is the canonical form of x, and Parse(Marshal(s)) gives s back exactly
// (nil and empty slices aside); both are fuzzed. A malformed script gives
// an error wrapping ErrSyntax that names the header line or section.
//
// # Replay
//
// Replay plays the server side of a script on the in-memory network of
// the host the code under test runs on:
//
//	client := mem.New().MustAddHost("client")
//	rp := record.Replay(t, client, script)
//	... run the same client with client as its transport ...
//	<-rp.Done()
//
// It listens at each recorded server address (a loopback or own address on
// the client's host, any other on the host that owns it or on a new one),
// installs the recorded answers in the network's Zone, and plays each
// connection with a transport/peer Stream, each datagram peer with a peer
// Datagram:
//
//	script event          peer step
//	client send           Expect (consecutive chunks merged: chunking does not matter)
//	client send regexp    ExpectRegexp
//	server send           Send (after Wait of the recorded delay, with WithTiming)
//	server fin            CloseWrite
//	server reset          Reset
//	client fin            ExpectEOF
//	client close          ExpectShutdown (ExpectEOF once the server has closed)
//	client reset          ExpectShutdown (nothing once the server has closed)
//	udp client send       Expect, on a socket at the recorded peer address
//	udp server send       Reply to the client's last datagram
//
// Connections to one address are matched with the recording in the order
// the client opens them. A failure goes to t with the connection, the peer
// step and the script section it plays, the byte offset in the stream and
// a diff:
//
//	record: replay of conn 1 (to 10.0.0.2:7): peer: step 0 (section 2) Expect("hello\n") at stream offset 3: byte 3 of 6 differs
//		expected "hello\n"
//		     got "help!\n"
//		             ^
//
// A recorded connection the client never makes fails the test at cleanup,
// and one the script does not have is reset and fails it. The cleanup
// closes the replay's listeners and the peers close their connections and
// sockets, so a network from transport/mem/memtest finds nothing left
// open (the package's tests run every replay on one).
//
// What the replay cannot know: bytes the server sent that the client never
// read were not recorded; a server that sends a datagram before the client
// has sent it one cannot be replayed (the client's address is unknown),
// and Replay refuses such a script.
//
// # Qt → slotnet
//
// Qt has no recorder; its autotests replay canned bytes with a hand-written
// QTcpServer. A Recorder goes wherever a transport does: give it to a
// tcp.Socket (QTcpSocket) with socket.WithTransport(rec), or to net/http
// with transport.DialContextFunc(rec). Replayed, the socket emits the same
// signals in the same order (TestRecordReplayQtSocket).
package record
