package transporttest

import (
	"io"
	"net/netip"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// Scenarios returns the built-in differential scenarios: exchanges whose
// every observable result is fixed by the contract, so two conforming
// transports must report identical Outcomes.
func Scenarios() []Scenario {
	return []Scenario{
		{"RequestResponse", scenarioRequestResponse},
		{"ShortReads", scenarioShortReads},
		{"Refused", scenarioRefused},
		{"Timeouts", scenarioTimeouts},
		{"Reset", scenarioReset},
		{"ClosedOps", scenarioClosedOps},
		{"WriteAfterCloseWrite", scenarioWriteAfterCloseWrite},
		{"BindErrors", scenarioBindErrors},
		{"Datagrams", scenarioDatagrams},
		{"DatagramErrors", scenarioDatagramErrors},
		{"DialPortZero", scenarioDialPortZero},
		{"NegativeBacklog", scenarioNegativeBacklog},
		{"DatagramPortZero", scenarioDatagramPortZero},
		{"WriteToClosedPeer", scenarioWriteToClosedPeer},
	}
}

func scenarioRequestResponse(c *C, o *Outcome) {
	client, server := c.Pair()
	rescue := closeAll(client, server)
	n, err := client.Write([]byte("request"))
	o.Op("client write", n, err)
	o.Err("client closewrite", client.CloseWrite())
	data, err := c.ReadAll(server, "server read", rescue)
	o.Data("server read", data)
	o.Err("server read end", err)
	n, err = server.Write([]byte("response"))
	o.Op("server write", n, err)
	o.Err("server close", server.Close())
	data, err = c.ReadAll(client, "client read", rescue)
	o.Data("client read", data)
	o.Err("client read end", err)
}

// scenarioShortReads reads a 10-byte message through a 4-byte buffer: the
// counts and where EOF shows up are part of the outcome.
func scenarioShortReads(c *C, o *Outcome) {
	client, server := c.Pair()
	_, err := server.Write([]byte("0123456789"))
	require.NoError(c.T, err)
	require.NoError(c.T, server.Close())
	got := make([]byte, 10)
	c.Within("read the message", func() { _, err = io.ReadFull(client, got) }, closeAll(client))
	o.Data("readfull", got)
	o.Err("readfull end", err)
	buf := make([]byte, 4)
	for range 2 {
		var n int
		c.Within("read at the end", func() { n, err = client.Read(buf) }, closeAll(client))
		o.Op("read", n, err)
	}
}

func scenarioRefused(c *C, o *Outcome) {
	_, err := c.Dial(c.closedPort())
	o.Err("dial closed port", err)
}

func scenarioTimeouts(c *C, o *Outcome) {
	client, server := c.Pair()
	rescue := closeAll(client, server)
	var n int
	var err error
	require.NoError(c.T, client.SetReadDeadline(longAgo))
	c.Within("read past deadline", func() { n, err = client.Read(make([]byte, 4)) }, rescue)
	o.Op("read past deadline", n, err)
	require.NoError(c.T, client.SetWriteDeadline(longAgo))
	c.Within("write past deadline", func() { n, err = client.Write([]byte("x")) }, rescue)
	o.Op("write past deadline", n, err)
	require.NoError(c.T, client.SetDeadline(time.Now().Add(c.Env.tick())))
	c.Within("read future deadline", func() { n, err = client.Read(make([]byte, 4)) }, rescue)
	o.Op("read future deadline", n, err)
	require.NoError(c.T, client.SetDeadline(time.Time{}))
	n, err = client.Write([]byte("ok"))
	o.Op("write after clearing", n, err)
}

func scenarioReset(c *C, o *Outcome) {
	client, server := c.Pair()
	o.Err("server abort", server.Abort())
	var err error
	c.Within("read after reset", func() { _, err = client.Read(make([]byte, 4)) }, closeAll(client))
	o.Err("client read", err)
	_, err = server.Read(make([]byte, 4))
	o.Err("aborted read", err)
}

func scenarioClosedOps(c *C, o *Outcome) {
	client, _ := c.Pair()
	o.Err("close", client.Close())
	_, err := client.Read(make([]byte, 1))
	o.Err("read after close", err)
	_, err = client.Write([]byte("x"))
	o.Err("write after close", err)
	ln := c.Listen(transport.ListenOptions{})
	o.Err("listener close", ln.Close())
	_, err = ln.Accept()
	o.Err("accept after close", err)
}

func scenarioWriteAfterCloseWrite(c *C, o *Outcome) {
	client, server := c.Pair()
	o.Err("closewrite", client.CloseWrite())
	n, err := client.Write([]byte("late"))
	o.Op("write after closewrite", n, err)
	n, err = server.Write([]byte("still"))
	o.Op("peer write", n, err)
	got := make([]byte, 5)
	c.Within("read after closewrite", func() { _, err = io.ReadFull(client, got) }, closeAll(client, server))
	o.Data("read after closewrite", got)
}

func scenarioBindErrors(c *C, o *Outcome) {
	ln := c.Listen(transport.ListenOptions{})
	_, err := c.Sys.Server.Listen(c.Context(), ln.AddrPort(), transport.ListenOptions{})
	o.Err("listen in use", err)
	_, err = c.Sys.Server.Listen(c.Context(), netip.AddrPortFrom(c.Sys.notLocal(), 0), transport.ListenOptions{})
	o.Err("listen not local", err)
	excl := transport.BindOptions{Mode: transport.DontShareAddress}
	d := c.Bind(c.Sys.Server, netip.AddrPortFrom(c.Sys.ServerAddr, 0), excl)
	_, err = c.Sys.Server.BindDatagram(c.Context(), d.LocalAddrPort(), excl)
	o.Err("bind in use", err)
	_, err = c.Sys.Server.BindDatagram(c.Context(), netip.AddrPortFrom(c.Sys.notLocal(), 0), excl)
	o.Err("bind not local", err)
}

func scenarioDatagrams(c *C, o *Outcome) {
	recv, send := c.datagramPair()
	for _, msg := range []string{"one", "", "three", "a longer fourth datagram"} {
		n, err := send.WriteDatagram([]byte(msg), recv.LocalAddrPort())
		o.Op("send", n, err)
	}
	for _, size := range []int{16, 16, 16, 8} {
		r := c.readDatagram(recv, size, "receive")
		o.Data("receive", r.data)
		o.Add("truncated=%v src-is-sender=%v %s", r.meta.Truncated, r.meta.Src == send.LocalAddrPort(), Classify(r.err))
	}
}

func scenarioDatagramErrors(c *C, o *Outcome) {
	recv, send := c.datagramPair()
	n, err := send.WriteDatagram(make([]byte, 128<<10), recv.LocalAddrPort())
	o.Op("send 128 KiB", n, err)
	require.NoError(c.T, recv.SetReadDeadline(longAgo))
	r := c.readDatagram(recv, 8, "receive past deadline")
	o.Op("receive past deadline", len(r.data), r.err)
	o.Err("close", recv.Close())
	r = c.readDatagram(recv, 8, "receive after close")
	o.Op("receive after close", len(r.data), r.err)
}
