package mem

import "net/netip"

// newEnd returns an unconnected stream end on host h.
func newEnd(h *Host, local netip.AddrPort, opts streamOpts) *Conn {
	return &Conn{host: h, local: local, opts: opts,
		rdl: newOpDeadline(), wdl: newOpDeadline(),
		wsem: make(chan struct{}, 1), rsem: make(chan struct{}, 1), done: make(chan struct{})}
}

// connect joins a dialing end and an accepted end into one connection and
// registers it with the two links it crosses; false if the network closed
// meanwhile.
func (n *Network) connect(client, server *Conn) bool {
	c := &conn{id: n.connSeq.Add(1), tap: n.tap, ends: [2]*Conn{client, server}}
	up, down := n.Link(client.host, server.host), n.Link(server.host, client.host)
	c.ackTap, _ = n.tap.(AckTap)
	client.c, server.c = c, c
	client.peer, server.peer = server, client
	client.remote, server.remote = server.local, client.local
	client.out = newPipe(up, client, server)
	server.out = newPipe(down, server, client)
	client.in, server.in = server.out, client.out
	for _, e := range c.ends {
		e.rdl.notify(e.in.readable)
		e.wdl.notify(e.out.writable)
	}
	client.out.resizeLocked()
	server.out.resizeLocked()
	if !up.attachConn(c) {
		return false
	}
	if !down.attachConn(c) {
		up.detachConn(c)
		return false
	}
	return true
}
