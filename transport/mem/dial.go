package mem

import (
	"context"
	"net/netip"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// DefaultConnectTimeout bounds a Dial whose context has no deadline, like
// the 30 seconds of Qt's waitForConnected. It is virtual time under
// testing/synctest.
const DefaultConnectTimeout = 30 * time.Second

// InitialRTO is the first SYN retransmission timeout; it doubles on every
// retransmission, as in Linux.
const InitialRTO = time.Second

// Dial connects to remote as TCP does: the SYN crosses the link to the
// remote host and the SYN-ACK (or RST) comes back, so a dial takes one
// round trip of link delay. Nobody listening → ConnectionRefusedError after
// that round trip. An address nobody owns, a partition or a lost SYN is
// retransmitted after InitialRTO, doubling, until ctx ends (or
// DefaultConnectTimeout if ctx has no deadline) → SocketTimeoutError
// wrapping os.ErrDeadlineExceeded and context.DeadlineExceeded. The local
// port comes from opts.Local or the host's deterministic ephemeral range.
func (h *Host) Dial(ctx context.Context, remote netip.AddrPort, opts transport.DialOptions) (transport.Stream, error) {
	remote = netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port())
	addr := remote.Addr()
	if h.net.Closed() {
		return nil, refused("dial", remote.String())
	}
	// Port 0 takes the normal path: nobody can listen on it, so the dial is
	// refused after the round trip, as Linux answers a SYN to port 0 with a
	// reset and Qt 5 reports ConnectionRefusedError.
	if !addr.IsValid() || addr.IsMulticast() {
		return nil, &transport.Error{Code: transport.SocketAddressNotAvailableError, Op: "dial", Addr: remote.String()}
	}
	if addr.IsUnspecified() { // as on Linux: the unspecified address is this host
		addr = netip.IPv6Loopback()
		if remote.Addr().Is4() {
			addr = netip.AddrFrom4([4]byte{127, 0, 0, 1})
		}
		remote = netip.AddrPortFrom(addr, remote.Port())
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultConnectTimeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return nil, streamCtxErr("dial", remote, err)
	}
	var dialSite *site
	if h.net.life.sites {
		dialSite = newSite()
	}
	client, err := h.bindClient(remote, opts)
	if err != nil {
		return nil, err
	}
	srv := h.net.hostFor(h, addr)
	ln, err := h.handshake(ctx, srv, client.local, remote)
	if err != nil {
		h.unbind(client.bound)
		if h.net.Closed() { // the listener was closed by Network.Close
			return nil, refused("dial", remote.String())
		}
		return nil, err
	}
	server := newEnd(srv, remote, defaultStreamOpts())
	if !h.net.connect(client, server) { // Close ran meanwhile
		ln.release()
		h.unbind(client.bound)
		return nil, refused("dial", remote.String())
	}
	if dialSite != nil {
		client.c.recordSite(0, dialSite)
	}
	if !ln.enqueue(server) { // the listener closed meanwhile: it resets
		_ = server.Abort()
	}
	return client, nil
}

// bindClient returns an unconnected end bound to opts.Local or an
// ephemeral port, with the source address that reaches remote.
func (h *Host) bindClient(remote netip.AddrPort, opts transport.DialOptions) (*Conn, error) {
	o := defaultStreamOpts()
	o.applyDial(opts)
	client := newEnd(h, netip.AddrPort{}, o)
	local := netip.AddrPortFrom(opts.Local.Addr().Unmap(), opts.Local.Port())
	b, err := h.bind(protoTCP, local, transport.DefaultForPlatform, client)
	if err != nil {
		err.(*transport.Error).Op = "dial"
		return nil, err
	}
	src := b.addr.Addr()
	if src.IsUnspecified() {
		src = h.sourceFor(remote.Addr())
	}
	client.bound = b
	client.local = netip.AddrPortFrom(src, b.addr.Port())
	return client, nil
}

// handshake sends SYNs until a listener answers, a reset refuses, or ctx
// ends. On success a backlog slot of the returned listener is reserved.
func (h *Host) handshake(ctx context.Context, srv *Host, local, remote netip.AddrPort) (*Listener, error) {
	var up, down *Link
	if srv != nil {
		up, down = h.net.Link(h, srv), h.net.Link(srv, h)
	}
	for rto := InitialRTO; ; rto *= 2 {
		if h.net.Closed() {
			return nil, refused("dial", remote.String())
		}
		retry := time.Now().Add(rto)
		if srv != nil {
			ln, err, done := h.synOnce(ctx, srv, up, down, local, remote)
			if done {
				return ln, err
			}
		}
		if err := dialSleep(ctx, time.Until(retry)); err != nil {
			return nil, streamCtxErr("dial", remote, err)
		}
	}
}

// synOnce sends one SYN; done is false if it went unanswered.
func (h *Host) synOnce(ctx context.Context, srv *Host, up, down *Link, local, remote netip.AddrPort) (ln *Listener, err error, done bool) {
	h.net.tapControl(StreamEvent{Src: local, Dst: remote, SYN: true})
	d, ok := up.synTransit()
	if !ok {
		return nil, nil, false
	}
	d += h.net.tieOffset(local, remote, tieSYN, 0)
	if err := dialSleep(ctx, d); err != nil {
		return nil, streamCtxErr("dial", remote, err), true
	}
	verdict := synRefuse
	if ln = srv.listenerFor(remote); ln != nil {
		verdict = ln.syn()
	}
	switch verdict {
	case synDrop:
		return nil, nil, false
	case synAccept:
		h.net.tapControl(StreamEvent{Src: remote, Dst: local, SYN: true})
	case synRefuse:
		h.net.tapControl(StreamEvent{Src: remote, Dst: local, RST: true})
		down.countRST()
	}
	d, ok = down.synTransit()
	if !ok { // SYN-ACK or RST lost: the dialer retransmits its SYN
		if verdict == synAccept {
			ln.release()
		}
		return nil, nil, false
	}
	d += h.net.tieOffset(remote, local, tieSYNACK, 0)
	if err := dialSleep(ctx, d); err != nil {
		if verdict == synAccept {
			ln.release()
		}
		return nil, streamCtxErr("dial", remote, err), true
	}
	if verdict == synRefuse {
		h.streamRefused.Add(1)
		return nil, streamRefusedErr(remote), true
	}
	return ln, nil, true
}

// tapControl shows a handshake segment to the tap, stamped now.
func (n *Network) tapControl(ev StreamEvent) {
	if n.tap != nil {
		ev.Time = time.Now()
		n.tap.Stream(ev)
	}
}

func (l *Link) countRST() {
	l.mu.Lock()
	l.stats.Resets++
	l.mu.Unlock()
}

// dialSleep waits d, or less if ctx ends first; d <= 0 does not wait and
// does not look at ctx (the dial checks it itself).
func dialSleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	return waitCtx(ctx, d)
}
