// Package discovery is the seeds' network discovery over broadcast, "which
// host has the most free disk space", on slotnet: an originator (Asker)
// broadcasts a request, every host running a Responder answers it with its
// name and free space, and the originator collects the answers for a
// window and picks the host with the most. Command discover runs it, over
// the in-memory network with simulated hosts or over loopback with real
// UDP sockets; the tests run both.
//
// The protocol is one datagram each way, ASCII text:
//
//	request: FREESPACE?
//	answer:  FREESPACE <host> <free bytes>
//
// sent to the request's sender address and port. A responder ignores any
// other datagram; an asker ignores (and reports with Invalid) an answer it
// cannot parse.
package discovery
