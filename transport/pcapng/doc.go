// Package pcapng exports the in-memory network's traffic
// (transport/mem) as a pcapng file that Wireshark and tshark read.
//
// A Capture is a mem.Tap and a mem.AckTap: install it with mem.WithTap,
// run the traffic, then write the file with Capture.WriteTo. The in-memory
// network carries bytes, not packets, so the capture synthesises what a
// wire would show: Ethernet frames (LINKTYPE_ETHERNET, MAC addresses
// derived from the host addresses), IPv4 or IPv6 headers, and TCP or UDP
// headers with correct checksums. TCP connections get the SYN, SYN-ACK,
// ACK handshake, sequence numbers from an initial sequence number derived
// from the connection's addresses (so the same test gives the same file),
// acknowledgement numbers, FIN and RST. On a link with faults the
// acknowledgements are the network's own (its acknowledgement clock), and
// a lost segment appears twice: when it was sent, and again, with the same
// sequence number, when it is retransmitted after Faults.RetransmitDelay.
// On a fault-free link, where data arrives at once and no
// acknowledgements travel, each segment acknowledges everything the peer
// has sent.
//
// Timestamps are the network's virtual time (under testing/synctest,
// from 2000-01-01 UTC) in nanoseconds (if_tsresol 9). Each packet appears
// once, as it enters its link; packets are written in time order.
//
// Not modelled: TCP options beyond MSS and window scale in the
// handshake; the receiver's window on a fault-free link (segments
// advertise the largest one until the network's acknowledgements tell the
// real one); segments dropped for good by Faults.VisibleStreamLoss (the
// sequence numbers after one are off by its length).
package pcapng
