package mem

import (
	"fmt"
	"net/netip"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// Network is a simulated world of hosts joined by links. Every host gets its
// own transport.Transport (Host implements it). All randomness comes from the
// network's seed, split per link, direction and fault kind, so a run replays
// exactly; all time comes from package time, so the network runs inside
// testing/synctest with virtual time.
type Network struct {
	seed uint64

	mu     sync.Mutex // guards hosts, byAddr, links
	hosts  map[string]*Host
	byAddr map[netip.Addr]*Host
	links  map[linkKey]*Link
	tap    Tap

	connSeq atomic.Uint64 // numbers stream connections in creation order

	zone atomic.Pointer[Zone] // the DNS zone (see Zone, SetZone)

	retransmitBudget time.Duration // see WithRetransmitRetries
	slowStart        bool          // see WithSlowStart
	initialWindow    int           // see WithInitialWindow

	life       lifecycle // Close, creation sites (lifecycle.go)
	tie        *tieBreak // seeded order of simultaneous deliveries (tiebreak.go)
	linkFaults Faults    // every new link's faults (WithLinkFaults)
}

// Option configures a Network.
type Option interface{ apply(*Network) }

type optionFunc func(*Network)

func (f optionFunc) apply(n *Network) { f(n) }

// WithSeed fixes the seed of every random choice the network makes. Tests
// print it on failure (see Network.Seed) and replay a run by passing it back.
func WithSeed(seed uint64) Option { return optionFunc(func(n *Network) { n.seed = seed }) }

// WithTap installs an observer of every byte and datagram crossing a link.
func WithTap(t Tap) Option { return optionFunc(func(n *Network) { n.tap = t }) }

// New returns an empty network. Without WithSeed the seed is 1.
func New(opts ...Option) *Network {
	n := &Network{
		seed:   1,
		hosts:  make(map[string]*Host),
		byAddr: make(map[netip.Addr]*Host),
		links:  make(map[linkKey]*Link),

		retransmitBudget: RetransmitTimeout(DefaultRetransmitRetries),
		initialWindow:    DefaultInitialWindow,
	}
	for _, o := range opts {
		o.apply(n)
	}
	return n
}

// Seed returns the seed the network's random choices derive from.
func (n *Network) Seed() uint64 { return n.seed }

// IfaceConfig describes an interface to give a host.
type IfaceConfig struct {
	Name     string         // default "eth0", "eth1", ...
	Prefixes []netip.Prefix // the addresses and their subnets, e.g. 10.0.0.1/24
	MTU      int            // default 1500
}

// DefaultMTU is the MTU of an ethernet-like interface unless configured.
const DefaultMTU = 1500

// LoopbackMTU is the MTU of every host's loopback interface.
const LoopbackMTU = 65536

// AddHost adds a host with a loopback interface (127.0.0.1/8 and ::1/128)
// and one ethernet-like interface per config. An address already owned by
// another host is refused.
func (n *Network) AddHost(name string, ifaces ...IfaceConfig) (*Host, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.life.closed.Load() {
		return nil, fmt.Errorf("mem: add host %q: %w", name, ErrNetworkClosed)
	}
	if _, dup := n.hosts[name]; dup {
		return nil, fmt.Errorf("mem: host %q already exists", name)
	}
	h := newHost(n, name)
	for i, cfg := range ifaces {
		if cfg.Name == "" {
			cfg.Name = fmt.Sprintf("eth%d", i)
		}
		if cfg.MTU == 0 {
			cfg.MTU = DefaultMTU
		}
		for _, p := range cfg.Prefixes {
			if other, taken := n.byAddr[p.Addr()]; taken {
				return nil, fmt.Errorf("mem: address %s already belongs to host %q", p.Addr(), other.name)
			}
		}
		h.ifaces = append(h.ifaces, &iface{Interface: transport.Interface{
			Index: len(h.ifaces) + 1, Name: cfg.Name, MTU: cfg.MTU, Prefixes: cfg.Prefixes,
			Up: true, Multicast: true, Broadcast: true,
		}})
	}
	for _, ifc := range h.ifaces[1:] {
		for _, p := range ifc.Prefixes {
			n.byAddr[p.Addr()] = h
		}
	}
	n.hosts[name] = h
	return h, nil
}

// MustAddHost is AddHost for tests and examples: it panics on error.
func (n *Network) MustAddHost(name string, ifaces ...IfaceConfig) *Host {
	h, err := n.AddHost(name, ifaces...)
	if err != nil {
		panic(err)
	}
	return h
}

// Host returns the named host, or nil.
func (n *Network) Host(name string) *Host {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.hosts[name]
}

// Hosts returns every host, sorted by name.
func (n *Network) Hosts() []*Host {
	n.mu.Lock()
	defer n.mu.Unlock()
	hs := make([]*Host, 0, len(n.hosts))
	for _, h := range n.hosts {
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].name < hs[j].name })
	return hs
}

// hostFor returns the host that owns a unicast address as seen from src:
// loopback addresses and src's own addresses are src itself.
func (n *Network) hostFor(src *Host, a netip.Addr) *Host {
	a = a.Unmap()
	if a.IsLoopback() || src.ownsAddr(a) {
		return src
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.byAddr[a]
}
