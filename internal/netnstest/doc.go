// Package netnstest gives a test two network namespaces of its own joined
// by a veth pair, so that it can send broadcast and multicast datagrams
// between sockets or programs over a real kernel path (subnet and limited
// broadcast, IPv4 and IPv6 multicast, which the host's loopback does not
// all deliver) without any datagram leaving by the host's interfaces. It
// needs root and ip(8) and skips, saying why, without them. Do runs Go
// code inside a namespace; Exec and Build run a command there.
package netnstest
