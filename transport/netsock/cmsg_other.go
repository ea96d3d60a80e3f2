//go:build !linux

package netsock

import (
	"errors"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// parseCmsg is Linux-only; elsewhere parseMeta uses x/net's parser.
func parseCmsg([]byte) cmsgMeta { return cmsgMeta{hopLimit: -1} }

// haveCmsgParser says parseCmsg understands this system's messages.
const haveCmsgParser = false

// sendCmsg builds the control messages for one sent datagram with x/net:
// IPv6 gives hop limit and interface; IPv4 only the interface.
func sendCmsg(v4 bool, hopLimit, ifIndex int) ([]byte, error) {
	if v4 {
		if hopLimit > 0 {
			return nil, errors.New("a TTL per datagram needs Linux")
		}
		return (&ipv4.ControlMessage{IfIndex: ifIndex}).Marshal(), nil
	}
	return (&ipv6.ControlMessage{HopLimit: max(hopLimit, 0), IfIndex: ifIndex}).Marshal(), nil
}
