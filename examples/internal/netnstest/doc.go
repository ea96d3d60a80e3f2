// Package netnstest gives the examples' tests two network namespaces of
// their own joined by a veth pair, so that a test can send multicast (or
// broadcast) datagrams between programs over a real kernel path, e.g. IPv6
// multicast, which the host's loopback does not deliver, without any
// datagram leaving by the host's interfaces. It needs root and ip(8); it
// also builds a Go command for a test to run inside a namespace.
package netnstest
