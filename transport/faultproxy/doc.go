// Package faultproxy applies the in-memory network's faults to real
// sockets: a TCP proxy in Toxiproxy's model that sits between a real
// client and a real server (on loopback, typically) and delays, throttles,
// slices, stalls, partitions and resets what crosses it, configured with
// the same mem.Faults value per direction and drawing from the same seeded
// schedule as package mem.
//
//	p, err := faultproxy.New("127.0.0.1:0", "127.0.0.1:6379", faultproxy.WithSeed(42))
//	defer p.Close()
//	p.SetFaults(faultproxy.Upstream, mem.Faults{Latency: 20 * time.Millisecond})
//	p.SetFaults(faultproxy.Downstream, mem.Faults{Bandwidth: 1 << 20})
//	conn, err := net.Dial("tcp", p.Addr()) // the client talks to the proxy
//
// Upstream is client → server, Downstream server → client. Each direction
// behaves as the mem.Link of the same name would:
//
//   - Handshake. A connection's SYN crosses upstream (loss and delay drawn
//     as on a link, nothing while partitioned), then the proxy dials the
//     server, then the SYN-ACK crosses downstream; a lost or partitioned one
//     is retransmitted after mem.InitialRTO, doubling, up to
//     mem.DefaultConnectTimeout. Only then does the proxy read what the
//     client sent, so the first request reaches the server a round trip
//     after the client connected, as with mem.Host.Dial. A refused dial
//     resets the client.
//   - Segments. What the proxy reads is cut at the MSS (WithMSS, default
//     DefaultMSS) and by Faults.Segment (SegmentFixed, SegmentRandom,
//     SegmentByte), and each segment is written to the other side on its own
//     when it is due. The kernel may still coalesce segments that arrive
//     before the receiver reads, as TCP's receiver does.
//   - Latency, Jitter: each segment is due one delay after it was read;
//     segments never overtake each other.
//   - Bandwidth: segments are serialized one after another per direction,
//     (n+40)/Bandwidth seconds each, shared by every connection.
//   - Loss: a lost segment stalls its direction for RetransmitDelay
//     (mem.DefaultRetransmitDelay when zero); with VisibleStreamLoss its
//     bytes are dropped.
//   - Partitioned (and Partition, Heal): the proxy stops reading the
//     direction (TCP's flow control then stops the sender) and goes on one
//     Latency after the heal; handshakes are retransmitted meanwhile.
//   - ResetAfterBytes: once a connection has forwarded that many bytes in
//     the direction, the receiver gets exactly those bytes and then, like
//     the sender, a reset (ECONNRESET). ResetAt resets every connection at
//     that time.
//
// Draws come from a mem.Schedule per direction: a proxy made WithSeed(S)
// and WithNames(client, server) draws the same jitter, loss decisions and
// random segment sizes, in the same order, as the links between hosts of
// those names in a network made mem.WithSeed(S) — handshake, data and FIN
// alike — for one connection at a time; connections sharing a direction
// share its draws in the order the proxy reads them, as connections sharing
// a mem.Link do in the order their goroutines write. Timing is the real clock's, so it agrees with the in-memory
// network's virtual time only up to scheduling and loopback costs
// (docs/testing.md, section 7, states the tolerance the tests use).
//
// The proxy refuses what it cannot apply: Duplicate and Reorder (datagram
// faults) and Segment.ShortReads (it does not control the client's reads)
// make SetFaults fail, as do negative values.
//
// Handler serves a small JSON control endpoint (GET and POST a direction's
// faults, partition, heal, counters) for tests in other languages and for
// poking a proxy by hand with curl.
//
// Toxiproxy → faultproxy: proxy → Proxy; latency toxic (latency, jitter) →
// Faults.Latency, Faults.Jitter; bandwidth → Faults.Bandwidth; slicer →
// Faults.Segment; reset_peer / limit_data → ResetAfterBytes; timeout →
// Partitioned; toxic stream upstream/downstream → Upstream/Downstream.
package faultproxy
