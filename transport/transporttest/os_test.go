package transporttest_test

import (
	"net/netip"
	"testing"

	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/slotnet/slotnet/transport/transporttest"
)

// osEnv is the OS transport on loopback: client and server are the same
// transport, both on 127.0.0.1.
func osEnv() transporttest.Env {
	tr := netsock.New()
	lo := netip.MustParseAddr("127.0.0.1")
	return transporttest.Env{
		Name:    "os",
		Backlog: true,
		Setup: func(testing.TB) *transporttest.System {
			return &transporttest.System{
				Client: tr, Server: tr,
				ClientAddr: lo, ServerAddr: lo,
				Broadcast: &transporttest.Broadcast{
					Addr: netip.MustParseAddr("127.255.255.255"),
					Bind: netip.IPv4Unspecified(),
				},
				Multicast: &transporttest.Multicast{
					Group:     netip.MustParseAddr("239.255.77.1"),
					Interface: "lo",
					Bind:      netip.IPv4Unspecified(),
				},
				Resolver: &transporttest.Resolver{
					// From /etc/hosts; a missing name would need a query
					// that leaves the machine, so NotFound is skipped.
					Names:   map[string][]netip.Addr{"localhost": {lo}},
					Reverse: map[netip.Addr]string{lo: "localhost"},
				},
			}
		},
	}
}

func TestOS(t *testing.T) {
	transporttest.TestAll(t, osEnv())
}

// TestOSIPv6 runs the suite on the OS transport over ::1.
func TestOSIPv6(t *testing.T) {
	tr := netsock.New()
	lo := netip.IPv6Loopback()
	transporttest.TestAll(t, transporttest.Env{
		Name:    "os-ipv6",
		Backlog: true,
		Skip:    map[string]string{"Conn": "TestOS runs nettest on IPv4 loopback"},
		Setup: func(testing.TB) *transporttest.System {
			return &transporttest.System{
				Client: tr, Server: tr,
				ClientAddr: lo, ServerAddr: lo,
				NotLocal: netip.MustParseAddr("2001:db8::1"),
			}
		},
	})
}
