package mem

import (
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/slotnet/slotnet/transport"
)

// Host is one simulated machine: its interfaces, its port tables and its
// counters. It implements transport.Transport; hand it to the socket engine
// (or to net/http through transport's adapters) like the OS transport.
type Host struct {
	net  *Network
	name string

	ifaces []*iface // index 0 is loopback; fixed after AddHost

	mu    sync.Mutex // guards ports, nextEphemeral, stats and overflow
	ports [numProtos]map[uint16][]*binding
	// nextEphemeral is the next ephemeral port to try, per protocol.
	// Allocation is deterministic: it walks the range in order.
	nextEphemeral [numProtos]uint16

	stats HostCounters
	// overflow is the backlog policy of listeners opened from now on.
	overflow Overflow

	// Stream counters, atomic so the stream fast path takes no host lock;
	// Counters adds them to stats.
	streamSent, streamRecv, streamResets, streamRefused atomic.Uint64
}

var _ transport.Transport = (*Host)(nil)

type iface struct {
	transport.Interface
}

// Protocol numbers index a host's port tables: TCP and UDP ports are
// separate namespaces, as on a real host.
type proto int

const (
	protoTCP proto = iota
	protoUDP
	numProtos
)

// The ephemeral port range, as Linux's default ip_local_port_range.
const (
	EphemeralFirst = 32768
	EphemeralLast  = 60999
)

func newHost(n *Network, name string) *Host {
	h := &Host{net: n, name: name}
	lo := &iface{Interface: transport.Interface{
		Index: 1, Name: "lo", MTU: LoopbackMTU, Loopback: true, Up: true, Multicast: true,
		Prefixes: []netip.Prefix{
			netip.MustParsePrefix("127.0.0.1/8"),
			netip.MustParsePrefix("::1/128"),
		},
	}}
	h.ifaces = []*iface{lo}
	for p := range h.ports {
		h.ports[p] = make(map[uint16][]*binding)
		h.nextEphemeral[p] = EphemeralFirst
	}
	return h
}

// Name returns the host's name.
func (h *Host) Name() string { return h.name }

// Network returns the network the host belongs to.
func (h *Host) Network() *Network { return h.net }

// Addrs returns the host's non-loopback addresses.
func (h *Host) Addrs() []netip.Addr {
	var out []netip.Addr
	for _, ifc := range h.ifaces[1:] {
		for _, p := range ifc.Prefixes {
			out = append(out, p.Addr())
		}
	}
	return out
}

// Addr returns the host's first non-loopback address (or 127.0.0.1).
func (h *Host) Addr() netip.Addr {
	if a := h.Addrs(); len(a) > 0 {
		return a[0]
	}
	return netip.AddrFrom4([4]byte{127, 0, 0, 1})
}

// Interfaces lists the host's interfaces (loopback first).
func (h *Host) Interfaces() ([]transport.Interface, error) {
	out := make([]transport.Interface, len(h.ifaces))
	for i, ifc := range h.ifaces {
		out[i] = ifc.Interface
		out[i].Prefixes = append([]netip.Prefix(nil), ifc.Prefixes...)
	}
	return out, nil
}

// ownsAddr reports whether a is one of h's addresses (loopback included).
func (h *Host) ownsAddr(a netip.Addr) bool {
	a = a.Unmap()
	for _, ifc := range h.ifaces {
		for _, p := range ifc.Prefixes {
			if p.Addr() == a || (ifc.Loopback && p.Contains(a)) {
				return true
			}
		}
	}
	return false
}

// ifaceFor returns the interface that owns address a, the interface whose
// subnet contains a, or nil.
func (h *Host) ifaceFor(a netip.Addr) *iface {
	a = a.Unmap()
	for _, ifc := range h.ifaces {
		for _, p := range ifc.Prefixes {
			if p.Contains(a) {
				return ifc
			}
		}
	}
	return nil
}

// ifaceByName returns the named interface or nil.
func (h *Host) ifaceByName(name string) *iface {
	for _, ifc := range h.ifaces {
		if ifc.Name == name {
			return ifc
		}
	}
	return nil
}

// sourceFor picks the local address h sends from to reach dst: a loopback
// address for loopback destinations, else the address of the interface on
// dst's subnet, else the first address of dst's family.
func (h *Host) sourceFor(dst netip.Addr) netip.Addr {
	dst = dst.Unmap()
	if dst.IsLoopback() {
		return dst
	}
	if ifc := h.ifaceFor(dst); ifc != nil && !ifc.Loopback {
		for _, p := range ifc.Prefixes {
			if p.Contains(dst) {
				return p.Addr()
			}
		}
	}
	for _, a := range h.Addrs() {
		if a.Is4() == dst.Is4() {
			return a
		}
	}
	if dst.Is4() {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	return netip.IPv6Loopback()
}
