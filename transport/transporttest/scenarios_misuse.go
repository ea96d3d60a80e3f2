package transporttest

import (
	"net/netip"

	"github.com/slotnet/slotnet/transport"
)

// The misuse scenarios pin the code each transport gives for a mistake,
// chosen as Qt 5 reports it on Linux (checked with PyQt5):
//
//	connectToHost(addr, 0)               ConnectionRefusedError (a reset answers the SYN)
//	setMaxPendingConnections(-1), listen accepted (a negative backlog is the default)
//	writeDatagram(data, addr, 0)         NetworkError (sendto(2) says EINVAL)

// scenarioDialPortZero dials port 0 of the server's address.
func scenarioDialPortZero(c *C, o *Outcome) {
	_, err := c.Dial(netip.AddrPortFrom(c.Sys.ServerAddr, 0))
	o.Err("dial port 0", err)
}

// scenarioNegativeBacklog listens with Backlog -1 and shows the listener
// works: a dial is accepted and carries data.
func scenarioNegativeBacklog(c *C, o *Outcome) {
	ln, err := c.Sys.Server.Listen(c.Context(), netip.AddrPortFrom(c.Sys.ServerAddr, 0), transport.ListenOptions{Backlog: -1})
	o.Err("listen backlog -1", err)
	if err != nil {
		return
	}
	c.T.Cleanup(func() { _ = ln.Close() })
	client, err := c.Dial(ln.AddrPort())
	o.Err("dial", err)
	if err != nil {
		return
	}
	server := c.Accept(ln)
	n, err := client.Write([]byte("hi"))
	o.Op("write", n, err)
	o.Err("closewrite", client.CloseWrite())
	data, err := c.ReadAll(server, "server read", closeAll(client, server))
	o.Data("server read", data)
	o.Err("server read end", err)
}

// scenarioDatagramPortZero sends a datagram to port 0 of the server's
// address, unconnected.
func scenarioDatagramPortZero(c *C, o *Outcome) {
	d := c.Bind(c.Sys.Client, netip.AddrPortFrom(c.Sys.ClientAddr, 0), transport.BindOptions{})
	n, err := d.WriteDatagram([]byte("x"), netip.AddrPortFrom(c.Sys.ServerAddr, 0))
	o.Op("write datagram to port 0", n, err)
}
