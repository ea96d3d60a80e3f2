package transporttest

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestErrors checks the error mapping: each failure carries its Qt code in
// a *transport.Error (refused, address in use, address not available,
// datagram too large, timeout), the use of a closed socket wraps
// net.ErrClosed, and the end of a stream is a plain io.EOF.
func TestErrors(t *testing.T, env Env) {
	runChecks(t, env, "Errors", []check{
		{"Refused", checkRefused},
		{"StreamAddressInUse", checkStreamAddressInUse},
		{"DatagramAddressInUse", checkDatagramAddressInUse},
		{"StreamAddressNotAvailable", checkStreamNotAvailable},
		{"DatagramAddressNotAvailable", checkDatagramNotAvailable},
		{"DatagramTooLarge", checkDatagramTooLarge},
		{"Timeout", checkTimeoutError},
		{"ClosedStream", checkClosedStream},
		{"ClosedListener", checkClosedListener},
		{"ClosedDatagram", checkClosedDatagram},
		{"EOF", checkEOF},
	})
}

// closedPort returns an address on the server where nothing listens: a
// port that was just listened on and closed.
func (c *C) closedPort() netip.AddrPort {
	c.T.Helper()
	ln, err := c.Sys.Server.Listen(c.Context(), netip.AddrPortFrom(c.Sys.ServerAddr, 0), transport.ListenOptions{})
	require.NoError(c.T, err)
	addr := ln.AddrPort()
	require.NoError(c.T, ln.Close())
	return addr
}

func checkRefused(c *C) {
	_, err := c.Dial(c.closedPort())
	c.wantCode(err, transport.ConnectionRefusedError, "Dial of a port nobody listens on")
}

func checkStreamAddressInUse(c *C) {
	ln := c.Listen(transport.ListenOptions{})
	ln2, err := c.Sys.Server.Listen(c.Context(), ln.AddrPort(), transport.ListenOptions{})
	if err == nil {
		_ = ln2.Close()
	}
	c.wantCode(err, transport.AddressInUseError, "second Listen on "+ln.AddrPort().String())
}

func checkDatagramAddressInUse(c *C) {
	excl := transport.BindOptions{Mode: transport.DontShareAddress}
	d := c.Bind(c.Sys.Server, netip.AddrPortFrom(c.Sys.ServerAddr, 0), excl)
	d2, err := c.Sys.Server.BindDatagram(c.Context(), d.LocalAddrPort(), excl)
	if err == nil {
		_ = d2.Close()
	}
	c.wantCode(err, transport.AddressInUseError, "second BindDatagram on "+d.LocalAddrPort().String())
}

func checkStreamNotAvailable(c *C) {
	addr := netip.AddrPortFrom(c.Sys.notLocal(), 0)
	ln, err := c.Sys.Server.Listen(c.Context(), addr, transport.ListenOptions{})
	if err == nil {
		_ = ln.Close()
	}
	c.wantCode(err, transport.SocketAddressNotAvailableError, "Listen on "+addr.String())
}

func checkDatagramNotAvailable(c *C) {
	addr := netip.AddrPortFrom(c.Sys.notLocal(), 0)
	d, err := c.Sys.Server.BindDatagram(c.Context(), addr, transport.BindOptions{})
	if err == nil {
		_ = d.Close()
	}
	c.wantCode(err, transport.SocketAddressNotAvailableError, "BindDatagram on "+addr.String())
}

func checkDatagramTooLarge(c *C) {
	recv, send := c.datagramPair()
	n, err := send.WriteDatagram(make([]byte, 128<<10), recv.LocalAddrPort())
	assert.Zero(c.T, n, "bytes sent of an oversized datagram")
	c.wantCode(err, transport.DatagramTooLargeError, "WriteDatagram of 128 KiB")
}

func checkTimeoutError(c *C) {
	client, server := c.Pair()
	require.NoError(c.T, client.SetReadDeadline(longAgo))
	var err error
	c.Within("Read with an expired deadline", func() { _, err = client.Read(make([]byte, 1)) }, closeAll(client, server))
	if c.wantTimeout(err, "Read with an expired deadline") {
		c.wantCode(err, transport.SocketTimeoutError, "Read with an expired deadline")
	}
}

func checkClosedStream(c *C) {
	client, _ := c.Pair()
	require.NoError(c.T, client.Close())
	_, err := client.Read(make([]byte, 1))
	c.wantClosed(err, "Read after Close")
	_, err = client.Write([]byte("x"))
	c.wantClosed(err, "Write after Close")
	err = client.Close()
	if err != nil {
		c.wantClosed(err, "second Close")
	}
}

func checkClosedListener(c *C) {
	ln := c.Listen(transport.ListenOptions{})
	require.NoError(c.T, ln.Close())
	_, err := ln.Accept()
	c.wantClosed(err, "Accept after Close")
}

func checkClosedDatagram(c *C) {
	recv, _ := c.datagramPair()
	require.NoError(c.T, recv.Close())
	_, _, err := recv.ReadDatagram(make([]byte, 8))
	c.wantClosed(err, "ReadDatagram after Close")
	_, err = recv.WriteDatagram([]byte("x"), recv.LocalAddrPort())
	c.wantClosed(err, "WriteDatagram after Close")
}

func checkEOF(c *C) {
	client, server := c.Pair()
	_, err := server.Write([]byte("last"))
	require.NoError(c.T, err)
	require.NoError(c.T, server.Close())
	data, err := c.ReadAll(client, "Read to the end of a closed peer", closeAll(client))
	assert.Equal(c.T, "last", string(data), "data sent before Close")
	c.wantEOF(err, "Read after the peer's Close")
}
