// Package peer plays the other side of a connection from a script, for
// testing protocol code: the code under test talks to a peer that sends,
// expects and closes exactly as the test says, and a wrong byte fails the
// test naming the step, the byte offset in the stream and a diff.
//
// It is the in-process counterpart of a hand-written fake server or client:
// what Qt's autotests do with a QTcpServer and a few lines of slot code per
// test, what Twisted does with StringTransport and tokio-test with its
// io::Builder mocks (read, write, wait), but over a real net.Conn — an
// in-memory transport/mem connection, under testing/synctest's virtual time,
// or an OS loopback socket — so the code under test runs unchanged.
//
// # Streams
//
// A Stream is a list of steps built with chained calls, then played on one
// connection:
//
//	srv := peer.NewStream(t).
//		ExpectLine("hello").     // the client sends "hello\n" (or "hello\r\n")
//		SendString("HELLO\n").   // the script answers
//		ExpectShutdown()         // and the client closes the connection
//	srv.Accept(ln)               // or srv.Play(conn)
//	... run the client against ln's address ...
//	<-srv.Done()
//
// Actions: Send, SendString, Wait (time.Sleep: virtual under synctest),
// CloseWrite (half-close, FIN), Reset (RST), Close. Expectations: Expect and
// ExpectString (exact bytes), ExpectLine, ExpectLineRegexp, ExpectRegexp,
// ExpectEOF (the other side half-closed) and ExpectShutdown (it closed
// entirely; see its doc for the precise test).
//
// Expectations read the byte stream, not the other side's writes: the same
// script passes against code that writes one byte at a time and code that
// writes everything at once. Each read has a deadline (DefaultTimeout,
// changed by Timeout for the steps after it), so a stuck conversation fails
// with its step instead of hanging. A failure is reported with t.Errorf from
// the script's goroutine and kept as a *StepError (Err); steps left unplayed
// when the test ends fail it from a t.Cleanup, which also stops and joins the
// script.
//
// # Datagrams and DNS
//
// Datagram scripts a UDP peer: Send to an address, Reply to the last
// sender, Expect or ExpectFrom a datagram, ExpectNothing for a while, Wait.
// It plays on a net.PacketConn (Play) or a transport.Datagram such as a
// mem.DatagramSocket (PlaySocket).
//
// DNS serves scripted answers per name — A, AAAA, CNAME, NXDomain,
// ServFail, Silent, Delay — as real DNS messages on a datagram socket
// (ServeOn a mem host, or Serve any net.PacketConn), and checks which names
// the code under test asked, in order (ExpectQuery). Package net's resolver
// keeps global state that must be built outside testing/synctest bubbles:
// call PrepareResolver from TestMain.
//
// # Qt → slotnet
//
//	a QTcpServer + slots answering a test client  → Stream.Accept
//	a QTcpSocket driven by the test               → Stream.Play on the dialled conn
//	QSignalSpy on readyRead + compare             → Expect, ExpectLine
//	a QUdpSocket fixture answering datagrams      → Datagram
//	a fake name server for QHostInfo::lookupHost  → DNS
package peer
