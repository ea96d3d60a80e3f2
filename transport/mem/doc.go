// Package mem is an in-memory network for testing protocol code without real
// sockets: hosts with addresses and interfaces, TCP-faithful streams,
// datagrams with broadcast and multicast, a DNS zone, per-link faults, and
// virtual time under testing/synctest.
package mem
