// Package transporttest is the conformance suite of package transport: the
// checks every transport.Transport must pass, exported so that your own
// transport (a tunnel, a simulator, a wrapper adding metrics) can run them
// too, in the way golang.org/x/net/nettest.TestConn checks a net.Conn.
//
// slotnet runs it on its two transports: the OS transport over loopback,
// and the in-memory network of package transport/mem inside
// testing/synctest bubbles.
//
// # Running the suite on your transport
//
// Describe the system under test with an [Env]: Setup builds a fresh
// [System] for every check (a client and a server transport that reach
// each other, their addresses, and optional broadcast, multicast and
// resolver setups), and Bubble says where a check runs. Then call [TestAll]
// (or one section) from a test:
//
//	func TestMyTransport(t *testing.T) {
//		transporttest.TestAll(t, transporttest.Env{
//			Name: "mine",
//			Setup: func(t testing.TB) *transporttest.System {
//				tr := mytransport.New()
//				t.Cleanup(func() { tr.Close() })
//				lo := netip.MustParseAddr("127.0.0.1")
//				return &transporttest.System{
//					Client: tr, Server: tr,
//					ClientAddr: lo, ServerAddr: lo,
//				}
//			},
//		})
//	}
//
// A transport that keeps time only through package time (like
// transport/mem) runs each check in a synctest bubble, where deadlines and
// timeouts take no real time:
//
//	env.Bubble = synctest.Test
//
// Setup then runs inside the bubble, so the transport it builds belongs to
// it. OS sockets cannot run in a bubble: leave Bubble nil.
//
// Every check is a subtest, so `go test -run 'TestMyTransport/Deadlines/Extend'`
// runs one. A nil [System.Broadcast], [System.Multicast] or
// [System.Resolver] skips its section with the reason; [Env.Skip] skips
// named checks or sections a transport cannot pass by design, with the
// reason to print.
//
// A check does not hang on a broken transport: an operation that must
// finish is given [Env.Patience], then the check reports it stuck and
// closes the streams to unblock it. Inside a bubble one kind of bug defeats
// virtual timeouts: a goroutine waiting on a held mutex is not durably
// blocked, so the bubble's clock stops. The suite meets it three ways:
// Streams/ConcurrentReadWrite waits for its Write on a real-time timer and
// fails by name when a Read holds a lock the Write needs; checks that read
// and write one stream at once run that probe first and stop if it fails;
// and past [Env.Watchdog] of real time a check panics with its name
// rather than hang until go test's -timeout.
//
// # The checks
//
// Sections are the exported Test functions; [TestAll] runs them all.
//
//   - [TestStreams]: Echo, ConcurrentReadWrite (a Write must complete
//     while a Read waits on the same stream), Bulk (1 MiB each way at
//     once), Addresses, CloseUnblocks (Close wakes a blocked Read and Write
//     with net.ErrClosed), EmptyWrite, Options (LowDelayOption).
//   - [TestListener]: AcceptMany, AcceptIsStream, CloseUnblocksAccept,
//     CloseKeepsAccepted, AcceptContext, Relisten, Backlog (with
//     [Env.Backlog]).
//   - [TestDeadlines]: PastRead, PastReadWithData (an expired deadline
//     fails at once even with data waiting, and loses none), PastWrite,
//     FutureRead (never early), Extend (moving the deadline of a blocked
//     Read), Clear, ReadDeadlineSparesWrite.
//   - [TestHalfClose]: RequestResponse (CloseWrite, then the answer is
//     still read), EOFRepeats (a plain io.EOF, every time),
//     WriteAfterCloseWrite.
//   - [TestReset]: AbortResetsPeer (RemoteHostClosedError, not EOF),
//     WriteAfterReset, AbortedIsClosed.
//   - [TestBackPressure]: StallAndResume (a peer that reads nothing
//     stalls the writer within [Env.MaxBuffered]; the timed-out Write's
//     count is exact; every byte arrives once, in order, once read).
//   - [TestErrors]: Refused, StreamAddressInUse, DatagramAddressInUse,
//     StreamAddressNotAvailable, DatagramAddressNotAvailable,
//     DatagramTooLarge, Timeout, ClosedStream, ClosedListener,
//     ClosedDatagram, EOF — each a *transport.Error with the Qt code,
//     timeouts wrapping os.ErrDeadlineExceeded, closed sockets
//     net.ErrClosed, the end of a stream a plain io.EOF.
//   - [TestDatagrams]: Boundaries (including an empty datagram),
//     Truncation, Meta (source and destination), Connect, ReadDeadline,
//     CloseUnblocks.
//   - [TestBroadcast]: Send. [TestMulticast]: JoinLeave.
//   - [TestResolver]: LookupHost, NotFound, LookupAddr.
//   - [TestInterfaces]: Loopback, OwnAddress, MulticastInterface.
//   - [TestSocket]: Stream, Datagram — both kinds driven through the one
//     transport.Socket interface (addresses, an option, deadlines, Close;
//     a second Close wraps net.ErrClosed).
//   - [TestConn]: golang.org/x/net/nettest.TestConn on the env's streams
//     (see [MakePipe]). nettest calls t.Run, which a bubble forbids, so
//     this section always runs in real time.
//
// # Differential mode
//
// Two conforming transports must not only pass the checks but behave the
// same way where the contract fixes the result. [Differential] runs
// [Scenario]s on two environments and requires equal [Outcome]s: the bytes
// read, the error classes (see [Classify]) and their order.
//
//	func TestOSMatchesMem(t *testing.T) {
//		transporttest.Differential(t, transporttest.Scenarios(), osEnv, memEnv)
//	}
//
// Write your own scenario with the helpers of [C] and record only what
// cannot depend on timing, addresses or port numbers. A scenario known to
// differ is skipped, with the reason, by the key "Differential/<name>" in
// either env's Skip.
//
// # Catching broken transports
//
// The suite's own tests wrap the in-memory network in deliberately broken
// variants and require each to fail a named check: a stream that ignores
// expired deadlines (Deadlines/PastReadWithData), a CloseWrite that closes
// both ways (HalfClose/RequestResponse), a Read that wraps io.EOF
// (HalfClose/EOFRepeats), Read and Write serialized by one mutex
// (Streams/ConcurrentReadWrite), a datagram read that misreports its size
// (Datagrams/Boundaries) and a refused dial classified as NetworkError
// (Errors/Refused). A broken suite run must not fail the test that proves
// it fails, so those tests re-execute the test binary on the mutant and
// read its verdict, as the Go toolchain tests crashes.
//
// # Qt → slotnet
//
// Qt has no exported conformance suite; Qt's own autotests
// (tst_qtcpsocket, tst_qudpsocket) play that role for its one socket
// engine. Their error expectations — QAbstractSocket::ConnectionRefusedError,
// AddressInUseError, SocketAddressNotAvailableError, DatagramTooLargeError,
// SocketTimeoutError, RemoteHostClosedError — are what [TestErrors] and
// [TestReset] require of every transport, under the same names.
package transporttest
