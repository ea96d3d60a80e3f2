// Package memtest gives each test its own in-memory network and fails the
// test if the test leaves anything open on it — goleak, for sockets.
//
//	func TestClient(t *testing.T) {
//		n := memtest.New(t)
//		server := n.MustAddHost("server", ...)
//		ln, _ := server.Listen(ctx, addr, transport.ListenOptions{})
//		defer ln.Close()
//		...
//	}
//
// New turns on mem.WithCreationSites and registers a t.Cleanup that closes
// the network (mem.Network.Close). Every stream end (dialed or accepted),
// listener, datagram socket and DNS server still open then, and every
// datagram still in flight, fails the test with one error naming it and the
// file:line of the call that created it, followed by its stack:
//
//	memtest: listener 10.0.0.2:80 on host server (tcp port 80) still open, created at client_test.go:31
//
// The cleanup runs before goleak's check and, under testing/synctest, inside
// the bubble before it waits for its goroutines, so closing the network also
// unblocks the goroutines that were waiting on what it closes.
//
// The network's seed comes from the test's name (a later mem.WithSeed wins)
// and is logged when the test fails, so that mem.WithSeed replays the run.
//
// Close runs the same check at any point, for a network a test made itself.
package memtest
