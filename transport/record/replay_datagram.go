package record

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/peer"
)

// dgramScript is the replay of one peer address of one recorded datagram
// socket: a peer.Datagram played on a socket bound at that address.
type dgramScript struct {
	peer *peer.Datagram
	sock transport.Datagram
}

// buildDatagrams binds a socket at every address a recorded datagram
// socket exchanged datagrams with, and scripts it: the client's
// datagrams are expected whole, in order, and the server's are replies to
// the client's last one.
func (r *Replayer) buildDatagrams(k Socket) ([]dgramScript, error) {
	var out []dgramScript
	byPeer := map[netip.AddrPort]*dgramBuilder{}
	var order []netip.AddrPort
	var since time.Duration
	for i, e := range r.script.Events {
		since += e.Delay
		if e.Kind != Datagram || e.ID != k.ID {
			continue
		}
		b := byPeer[e.Peer]
		if b == nil {
			b = &dgramBuilder{}
			byPeer[e.Peer] = b
			order = append(order, e.Peer)
		}
		if e.Side == Server && !b.heard {
			return nil, fmt.Errorf("section %d: %v sends before the client has sent it anything, "+
				"so the replay cannot know the client's address", i+1, e.Peer)
		}
		b.events = append(b.events, dgramEvent{sec: i + 1, e: e, since: since})
		b.heard = b.heard || e.Side == Client
		since = 0
	}
	for _, p := range order {
		s, err := r.bindAt(p)
		if err != nil {
			closeScripts(out)
			return nil, err
		}
		out = append(out, dgramScript{peer: r.dgramPeer(k, p, byPeer[p].events), sock: s})
	}
	return out, nil
}

type dgramBuilder struct {
	events []dgramEvent
	heard  bool // a client datagram comes first
}

type dgramEvent struct {
	sec   int
	e     Event
	since time.Duration // since the previous datagram of the socket
}

// bindAt binds a socket at a recorded peer address.
func (r *Replayer) bindAt(p netip.AddrPort) (transport.Datagram, error) {
	p = netip.AddrPortFrom(p.Addr().Unmap(), p.Port())
	h, err := hostFor(r.client, p.Addr())
	if err != nil {
		return nil, err
	}
	s, err := h.BindDatagram(r.ctx, p, transport.BindOptions{})
	if err != nil {
		return nil, fmt.Errorf("bind %v (host %s): %w", p, h.Name(), err)
	}
	return s, nil
}

// dgramPeer builds the peer script of one peer address.
func (r *Replayer) dgramPeer(k Socket, p netip.AddrPort, events []dgramEvent) *peer.Datagram {
	tb := &prefixTB{TB: r.t, prefix: fmt.Sprintf("record: replay of udp %d (from %v) at %v: ", k.ID, k.Local, p)}
	d := peer.NewDatagram(tb)
	if r.opts.timeout > 0 {
		d.Timeout(r.opts.timeout)
	}
	for _, ev := range events {
		sec := sectionRange(ev.sec, ev.sec)
		if ev.e.Side == Client {
			d.Expect(ev.e.Data).Label(sec)
			continue
		}
		if r.opts.timing && ev.since > 0 {
			d.Wait(ev.since).Label(sec)
		}
		d.Reply(ev.e.Data).Label(sec)
	}
	return d
}

func closeScripts(ds []dgramScript) {
	for _, d := range ds {
		_ = d.sock.Close()
	}
}
