package mem

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// Failure is how the zone answers for a name (Zone.SetFailure).
type Failure int

// Zone failure modes.
const (
	Answer   Failure = iota // answer normally
	NXDomain                // the name does not exist
	ServFail                // the server fails (SERVFAIL)
	NoAnswer                // the server stays silent: lookups time out
)

// DefaultLookupTimeout is how long a lookup waits for a silent server
// (NoAnswer) unless its context ends sooner: two attempts of five seconds,
// as Go's resolver and glibc's defaults.
const DefaultLookupTimeout = 10 * time.Second

// maxCNAMEChain bounds how many CNAMEs a lookup follows.
const maxCNAMEChain = 8

// Zone is a DNS zone for a Network: A, AAAA, CNAME and PTR records, plus a
// latency and a failure mode per name. Hosts resolve through it
// (Host.LookupHost, Host.LookupAddr) and ServeDNS serves it over the
// in-memory datagram path. Names are case-insensitive and a trailing dot
// is ignored; a name given as an IP address stands for its reverse
// (in-addr.arpa / ip6.arpa) name. Safe for concurrent use.
type Zone struct {
	mu         sync.Mutex // guards every field below
	addrs      map[string][]netip.Addr
	cnames     map[string]string
	ptrs       map[string][]string // by reverse name
	latency    map[string]time.Duration
	failure    map[string]Failure
	defLatency time.Duration
	timeout    time.Duration
}

// NewZone returns an empty zone.
func NewZone() *Zone {
	return &Zone{
		addrs:   make(map[string][]netip.Addr),
		cnames:  make(map[string]string),
		ptrs:    make(map[string][]string),
		latency: make(map[string]time.Duration),
		failure: make(map[string]Failure),
		timeout: DefaultLookupTimeout,
	}
}

// AddA adds IPv4 address records for name.
func (z *Zone) AddA(name string, addrs ...netip.Addr) error { return z.addAddrs(name, true, addrs) }

// AddAAAA adds IPv6 address records for name.
func (z *Zone) AddAAAA(name string, addrs ...netip.Addr) error { return z.addAddrs(name, false, addrs) }

func (z *Zone) addAddrs(name string, v4 bool, addrs []netip.Addr) error {
	n, err := canonicalName(name)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if !a.IsValid() || a.Unmap().Is4() != v4 || a.Zone() != "" {
			return fmt.Errorf("mem: zone: %v is not an IPv%s address", a, map[bool]string{true: "4", false: "6"}[v4])
		}
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if _, ok := z.cnames[n]; ok {
		return fmt.Errorf("mem: zone: %s already has a CNAME", n)
	}
	for _, a := range addrs {
		if a = a.Unmap(); !slices.Contains(z.addrs[n], a) {
			z.addrs[n] = append(z.addrs[n], a)
		}
	}
	return nil
}

// AddCNAME makes alias a canonical-name record pointing at target. A name
// with a CNAME has no other records.
func (z *Zone) AddCNAME(alias, target string) error {
	a, err := canonicalName(alias)
	if err != nil {
		return err
	}
	t, err := canonicalName(target)
	if err != nil {
		return err
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if len(z.addrs[a]) > 0 {
		return fmt.Errorf("mem: zone: %s already has address records", a)
	}
	z.cnames[a] = t
	return nil
}

// AddPTR adds pointer records: addr's reverse name → names. Without PTR
// records, a reverse lookup answers with the names whose A or AAAA records
// hold the address.
func (z *Zone) AddPTR(addr netip.Addr, names ...string) error {
	if !addr.IsValid() {
		return errors.New("mem: zone: invalid address")
	}
	rev := reverseName(addr)
	z.mu.Lock()
	defer z.mu.Unlock()
	for _, name := range names {
		n, err := canonicalName(name)
		if err != nil {
			return err
		}
		if !slices.Contains(z.ptrs[rev], n) {
			z.ptrs[rev] = append(z.ptrs[rev], n)
		}
	}
	return nil
}

// Remove deletes every record, latency and failure of name.
func (z *Zone) Remove(name string) {
	n, err := canonicalName(name)
	if err != nil {
		return
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	delete(z.addrs, n)
	delete(z.cnames, n)
	delete(z.ptrs, n)
	delete(z.latency, n)
	delete(z.failure, n)
}

// SetLatency makes answers about name take d; name "" sets the default for
// every name without its own.
func (z *Zone) SetLatency(name string, d time.Duration) error {
	z.mu.Lock()
	defer z.mu.Unlock()
	if name == "" {
		z.defLatency = d
		return nil
	}
	n, err := canonicalName(name)
	if err != nil {
		return err
	}
	z.latency[n] = d
	return nil
}

// SetFailure sets how the zone answers for name (Answer restores normal
// answers). A failure applies to the name wherever a lookup meets it,
// also in the middle of a CNAME chain.
func (z *Zone) SetFailure(name string, f Failure) error {
	if f < Answer || f > NoAnswer {
		return fmt.Errorf("mem: zone: unknown failure mode %d", f)
	}
	n, err := canonicalName(name)
	if err != nil {
		return err
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if f == Answer {
		delete(z.failure, n)
	} else {
		z.failure[n] = f
	}
	return nil
}

// SetTimeout sets how long a lookup waits for a silent (NoAnswer) name.
func (z *Zone) SetTimeout(d time.Duration) {
	z.mu.Lock()
	z.timeout = d
	z.mu.Unlock()
}

// cname is one CNAME record met while resolving.
type cname struct{ alias, target string }

// result is what the zone knows about a forward name.
type result struct {
	known   bool   // the zone has records or a failure for the name
	final   string // the name at the end of the CNAME chain
	chain   []cname
	addrs   []netip.Addr // the final name's A and AAAA records
	names   []string     // PTR answers
	failure Failure
	latency time.Duration
	timeout time.Duration
}

// resolve follows name's CNAME chain.
func (z *Zone) resolve(name string) result {
	z.mu.Lock()
	defer z.mu.Unlock()
	r := result{latency: z.latencyLocked(name), timeout: z.timeout}
	for range maxCNAMEChain + 1 {
		r.final = name
		if f, ok := z.failure[name]; ok {
			r.known, r.failure = true, f
			return r
		}
		if t, ok := z.cnames[name]; ok {
			r.known = true
			r.chain = append(r.chain, cname{name, t})
			name = t
			continue
		}
		if a, ok := z.addrs[name]; ok {
			r.known, r.addrs = true, slices.Clone(a)
		}
		return r
	}
	r.failure = ServFail // a CNAME loop or an over-long chain
	return r
}

// reverse returns the zone's PTR answer for addr: explicit PTR records,
// else the names holding addr in their address records, sorted.
func (z *Zone) reverse(addr netip.Addr) result {
	rev := reverseName(addr)
	z.mu.Lock()
	defer z.mu.Unlock()
	r := result{latency: z.latencyLocked(rev), timeout: z.timeout}
	if f, ok := z.failure[rev]; ok {
		r.known, r.failure = true, f
		return r
	}
	names := slices.Clone(z.ptrs[rev])
	if len(names) == 0 {
		for n, as := range z.addrs {
			if slices.Contains(as, addr.Unmap()) {
				names = append(names, n)
			}
		}
		slices.Sort(names)
	}
	r.known, r.names = len(names) > 0, names
	return r
}

func (z *Zone) latencyLocked(name string) time.Duration {
	if d, ok := z.latency[name]; ok {
		return d
	}
	return z.defLatency
}

// canonicalName lowercases name and strips one trailing dot; an IP address
// becomes its reverse name. Malformed names are an error.
func canonicalName(name string) (string, error) {
	if a, err := netip.ParseAddr(name); err == nil {
		return reverseName(a), nil
	}
	n := strings.ToLower(strings.TrimSuffix(name, "."))
	if n == "" || len(n) > 253 {
		return "", fmt.Errorf("mem: zone: invalid name %q", name)
	}
	for label := range strings.SplitSeq(n, ".") {
		if label == "" || len(label) > 63 || strings.ContainsAny(label, " \t\r\n") {
			return "", fmt.Errorf("mem: zone: invalid name %q", name)
		}
	}
	return n, nil
}

// reverseName returns addr's PTR name without the trailing dot.
func reverseName(addr netip.Addr) string {
	addr = addr.Unmap()
	var b strings.Builder
	if addr.Is4() {
		a := addr.As4()
		fmt.Fprintf(&b, "%d.%d.%d.%d.in-addr.arpa", a[3], a[2], a[1], a[0])
		return b.String()
	}
	a := addr.As16()
	const hex = "0123456789abcdef"
	for i := 15; i >= 0; i-- {
		b.WriteByte(hex[a[i]&0xf])
		b.WriteByte('.')
		b.WriteByte(hex[a[i]>>4])
		b.WriteByte('.')
	}
	b.WriteString("ip6.arpa")
	return b.String()
}

// SetZone makes z the network's DNS zone (nil removes it).
func (n *Network) SetZone(z *Zone) { n.zone.Store(z) }

// Zone returns the network's DNS zone, creating an empty one on first use.
func (n *Network) Zone() *Zone {
	for {
		if z := n.zone.Load(); z != nil {
			return z
		}
		n.zone.CompareAndSwap(nil, NewZone())
	}
}

// zoneIfAny returns the network's zone or nil, creating nothing.
func (n *Network) zoneIfAny() *Zone { return n.zone.Load() }
