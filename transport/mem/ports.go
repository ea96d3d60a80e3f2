package mem

import (
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// binding is one socket's claim on a local address and port. owner is the
// socket (a listener, a stream end or a datagram socket) that receives what
// arrives there.
type binding struct {
	proto proto
	addr  netip.AddrPort // the address may be unspecified (any)
	mode  transport.BindMode
	owner any
}

// shares reports whether a new binding in mode may share a port with b: both
// must ask for it (ShareAddress or ReuseAddressHint), as SO_REUSEADDR does.
func (b *binding) shares(mode transport.BindMode) bool {
	const share = transport.ShareAddress | transport.ReuseAddressHint
	return b.mode&share != 0 && mode&share != 0 &&
		b.mode&transport.DontShareAddress == 0 && mode&transport.DontShareAddress == 0
}

// overlaps reports whether two local addresses of one port collide: equal,
// or one is unspecified (of the same family, or :: which covers both).
func overlaps(a, b netip.Addr) bool {
	a, b = a.Unmap(), b.Unmap()
	if a == b {
		return true
	}
	if a.IsUnspecified() && (b.Is4() == a.Is4() || a.Is6()) {
		return true
	}
	return b.IsUnspecified() && (a.Is4() == b.Is4() || b.Is6())
}

// bind claims ap for owner. Port 0 allocates the next free ephemeral port,
// deterministically. The address must be unspecified, loopback, one of the
// host's own, or (for UDP) a multicast group, else
// SocketAddressNotAvailableError; a taken port gives AddressInUseError.
func (h *Host) bind(p proto, ap netip.AddrPort, mode transport.BindMode, owner any) (*binding, error) {
	addr := ap.Addr().Unmap()
	if !addr.IsValid() {
		addr = netip.IPv6Unspecified()
	}
	if !addr.IsUnspecified() && !h.ownsAddr(addr) && !(p == protoUDP && addr.IsMulticast()) {
		return nil, &transport.Error{Code: transport.SocketAddressNotAvailableError, Op: "bind", Addr: ap.String()}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.net.Closed() {
		return nil, refused("bind", ap.String())
	}
	port := ap.Port()
	if port == 0 {
		var ok bool
		if port, ok = h.ephemeralLocked(p, addr); !ok {
			return nil, &transport.Error{Code: transport.SocketResourceError, Op: "bind", Addr: ap.String()}
		}
	} else if !h.freeLocked(p, addr, port, mode) {
		return nil, &transport.Error{Code: transport.AddressInUseError, Op: "bind", Addr: ap.String()}
	}
	b := &binding{proto: p, addr: netip.AddrPortFrom(addr, port), mode: mode, owner: owner}
	h.ports[p][port] = append(h.ports[p][port], b)
	return b, nil
}

func (h *Host) freeLocked(p proto, addr netip.Addr, port uint16, mode transport.BindMode) bool {
	for _, b := range h.ports[p][port] {
		if overlaps(b.addr.Addr(), addr) && !b.shares(mode) {
			return false
		}
	}
	return true
}

func (h *Host) ephemeralLocked(p proto, addr netip.Addr) (uint16, bool) {
	const span = EphemeralLast - EphemeralFirst + 1
	for range span {
		port := h.nextEphemeral[p]
		h.nextEphemeral[p]++
		if h.nextEphemeral[p] > EphemeralLast {
			h.nextEphemeral[p] = EphemeralFirst
		}
		if len(h.ports[p][port]) == 0 {
			return port, true
		}
	}
	return 0, false
}

// unbind releases b. Idempotent.
func (h *Host) unbind(b *binding) {
	if b == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	list := h.ports[b.proto][b.addr.Port()]
	for i, x := range list {
		if x == b {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(h.ports[b.proto], b.addr.Port())
	} else {
		h.ports[b.proto][b.addr.Port()] = list
	}
}

// bindings returns the bindings that receive what arrives at dst: those bound
// to dst's address exactly, or to an unspecified address covering it. Exact
// matches come first.
func (h *Host) bindings(p proto, dst netip.AddrPort) []*binding {
	h.mu.Lock()
	defer h.mu.Unlock()
	var exact, wild []*binding
	for _, b := range h.ports[p][dst.Port()] {
		switch ba := b.addr.Addr(); {
		case ba == dst.Addr().Unmap():
			exact = append(exact, b)
		case overlaps(ba, dst.Addr()):
			wild = append(wild, b)
		}
	}
	return append(exact, wild...)
}
