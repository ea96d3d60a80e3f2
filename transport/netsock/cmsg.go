package netsock

import "net/netip"

// cmsgMeta is what a datagram's control messages say about it.
type cmsgMeta struct {
	dst      netip.Addr // the address it was sent to
	hopLimit int        // remaining TTL / hop limit, -1 if not given
	ifIndex  int        // receiving interface, 0 if not given
}
