package transporttest

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestDatagrams checks datagram sockets: message boundaries (including an
// empty datagram), truncation into a short buffer, the sender and
// destination in DatagramMeta, Connect's filtering, read deadlines and
// Close unblocking a read.
func TestDatagrams(t *testing.T, env Env) {
	runChecks(t, env, "Datagrams", []check{
		{"Boundaries", checkBoundaries},
		{"Truncation", checkTruncation},
		{"Meta", checkMeta},
		{"Connect", checkConnect},
		{"ReadDeadline", checkDatagramDeadline},
		{"CloseUnblocks", checkDatagramCloseUnblocks},
	})
}

// datagramPair binds a receiver on the server and a sender on the client.
func (c *C) datagramPair() (recv, send transport.Datagram) {
	recv = c.Bind(c.Sys.Server, netip.AddrPortFrom(c.Sys.ServerAddr, 0), transport.BindOptions{})
	send = c.Bind(c.Sys.Client, netip.AddrPortFrom(c.Sys.ClientAddr, 0), transport.BindOptions{})
	return recv, send
}

// received is one ReadDatagram result.
type received struct {
	data []byte
	meta transport.DatagramMeta
	err  error
}

// readDatagram reads one datagram into a buffer of size within patience.
func (c *C) readDatagram(d transport.Datagram, size int, what string) received {
	c.T.Helper()
	var r received
	buf := make([]byte, size)
	c.Within(what, func() {
		var n int
		n, r.meta, r.err = d.ReadDatagram(buf)
		r.data = buf[:n]
	}, closeAll(d))
	return r
}

func checkBoundaries(c *C) {
	recv, send := c.datagramPair()
	sizes := []int{1, 0, 100, 1400, 7}
	for i, n := range sizes {
		k, err := send.WriteDatagram(pattern(i, n), recv.LocalAddrPort())
		require.NoError(c.T, err, "WriteDatagram of %d bytes", n)
		assert.Equal(c.T, n, k, "WriteDatagram count")
	}
	for i, n := range sizes {
		r := c.readDatagram(recv, 2048, "ReadDatagram")
		require.NoError(c.T, r.err, "ReadDatagram")
		if !assert.Len(c.T, r.data, n, "datagram %d: size (boundaries kept?)", i) {
			return
		}
		assert.True(c.T, bytes.Equal(pattern(i, n), r.data), "datagram %d: content", i)
		assert.False(c.T, r.meta.Truncated, "datagram %d: Truncated", i)
	}
}

func checkTruncation(c *C) {
	recv, send := c.datagramPair()
	_, err := send.WriteDatagram(pattern(0, 100), recv.LocalAddrPort())
	require.NoError(c.T, err)
	_, err = send.WriteDatagram([]byte("next"), recv.LocalAddrPort())
	require.NoError(c.T, err)
	r := c.readDatagram(recv, 10, "ReadDatagram into a short buffer")
	require.NoError(c.T, r.err, "ReadDatagram of a truncated datagram")
	assert.Equal(c.T, pattern(0, 10), r.data, "the truncated datagram's head")
	assert.True(c.T, r.meta.Truncated, "meta.Truncated for a 100-byte datagram read into 10 bytes")
	r = c.readDatagram(recv, 10, "ReadDatagram after a truncated one")
	require.NoError(c.T, r.err)
	assert.Equal(c.T, "next", string(r.data), "the rest of a truncated datagram must be discarded")
	assert.False(c.T, r.meta.Truncated)
}

func checkMeta(c *C) {
	recv, send := c.datagramPair()
	assert.NotZero(c.T, recv.LocalAddrPort().Port(), "port 0 must pick one")
	assert.Equal(c.T, c.Sys.ServerAddr, recv.LocalAddrPort().Addr(), "bound address")
	_, err := send.WriteDatagram([]byte("meta"), recv.LocalAddrPort())
	require.NoError(c.T, err)
	r := c.readDatagram(recv, 64, "ReadDatagram")
	require.NoError(c.T, r.err)
	assert.Equal(c.T, send.LocalAddrPort(), r.meta.Src, "meta.Src is the sender's bound address")
	assert.Equal(c.T, recv.LocalAddrPort(), r.meta.Dst, "meta.Dst is where the datagram was sent")
}

func checkConnect(c *C) {
	recv, send := c.datagramPair()
	stranger := c.Bind(c.Sys.Client, netip.AddrPortFrom(c.Sys.ClientAddr, 0), transport.BindOptions{})
	require.NoError(c.T, recv.Connect(send.LocalAddrPort()), "Connect")
	assert.Equal(c.T, send.LocalAddrPort(), recv.RemoteAddrPort(), "RemoteAddrPort after Connect")
	_, err := stranger.WriteDatagram([]byte("stranger"), recv.LocalAddrPort())
	require.NoError(c.T, err)
	_, err = send.WriteDatagram([]byte("peer"), recv.LocalAddrPort())
	require.NoError(c.T, err)
	r := c.readDatagram(recv, 64, "ReadDatagram on a connected socket")
	require.NoError(c.T, r.err)
	assert.Equal(c.T, "peer", string(r.data), "a connected socket accepts only its peer's datagrams")
	_, err = recv.Write([]byte("reply"))
	require.NoError(c.T, err, "Write on a connected socket")
	r = c.readDatagram(send, 64, "ReadDatagram of the connected socket's Write")
	require.NoError(c.T, r.err)
	assert.Equal(c.T, "reply", string(r.data))
	assert.Equal(c.T, recv.LocalAddrPort(), r.meta.Src)
}

func checkDatagramDeadline(c *C) {
	recv, _ := c.datagramPair()
	require.NoError(c.T, recv.SetReadDeadline(longAgo))
	r := c.readDatagram(recv, 64, "ReadDatagram with an expired deadline")
	c.wantTimeout(r.err, "ReadDatagram with an expired deadline")
	start := time.Now()
	require.NoError(c.T, recv.SetReadDeadline(start.Add(c.Env.tick())))
	r = c.readDatagram(recv, 64, "ReadDatagram with a future deadline")
	c.wantTimeout(r.err, "ReadDatagram with a future deadline")
	assert.GreaterOrEqual(c.T, time.Since(start), c.Env.tick(), "the deadline fired early")
}

func checkDatagramCloseUnblocks(c *C) {
	recv, _ := c.datagramPair()
	errs := make(chan error, 1)
	go func() { _, _, err := recv.ReadDatagram(make([]byte, 64)); errs <- err }()
	c.settle()
	require.NoError(c.T, recv.Close())
	var err error
	c.Within("ReadDatagram blocked at Close", func() { err = <-errs }, nil)
	c.wantClosed(err, "ReadDatagram blocked at Close")
	_, err = recv.WriteDatagram([]byte("x"), recv.LocalAddrPort())
	c.wantClosed(err, "WriteDatagram after Close")
}

// TestBroadcast checks that a datagram sent to System.Broadcast.Addr by a
// socket with BindOptions.Broadcast reaches a receiver bound to
// System.Broadcast.Bind, with the sender as its source.
func TestBroadcast(t *testing.T, env Env) {
	runChecks(t, env, "Broadcast", []check{{"Send", checkBroadcast}})
}

func checkBroadcast(c *C) {
	b := c.Sys.Broadcast
	if b == nil {
		c.Skip("System.Broadcast is nil: the system offers no broadcast domain")
	}
	recv := c.Bind(c.Sys.Server, netip.AddrPortFrom(b.Bind, 0), transport.BindOptions{})
	send := c.Bind(c.Sys.Client, netip.AddrPortFrom(c.Sys.ClientAddr, 0), transport.BindOptions{Broadcast: true})
	dst := netip.AddrPortFrom(b.Addr, recv.LocalAddrPort().Port())
	_, err := send.WriteDatagram([]byte("to all"), dst)
	require.NoError(c.T, err, "WriteDatagram to %s", dst)
	r := c.readDatagram(recv, 64, "ReadDatagram of a broadcast")
	require.NoError(c.T, r.err)
	assert.Equal(c.T, "to all", string(r.data))
	assert.Equal(c.T, send.LocalAddrPort(), r.meta.Src, "meta.Src of a broadcast")
}

// TestMulticast checks that a member of System.Multicast.Group receives
// the group's datagrams and stops receiving them after LeaveGroup.
func TestMulticast(t *testing.T, env Env) {
	runChecks(t, env, "Multicast", []check{{"JoinLeave", checkMulticast}})
}

func checkMulticast(c *C) {
	m := c.Sys.Multicast
	if m == nil {
		c.Skip("System.Multicast is nil: the system offers no multicast group")
	}
	recv := c.Bind(c.Sys.Server, netip.AddrPortFrom(m.Bind, 0), transport.BindOptions{})
	send := c.Bind(c.Sys.Client, netip.AddrPortFrom(c.Sys.ClientAddr, 0), transport.BindOptions{Interface: m.Interface})
	require.NoError(c.T, recv.JoinGroup(m.Group, m.Interface), "JoinGroup %s on %q", m.Group, m.Interface)
	require.NoError(c.T, send.SetMulticastInterface(m.Interface), "SetMulticastInterface")
	require.NoError(c.T, send.SetOption(transport.MulticastLoopbackOption, 1), "MulticastLoopbackOption")
	port := recv.LocalAddrPort().Port()
	group := netip.AddrPortFrom(m.Group, port)
	_, err := send.WriteDatagram([]byte("member"), group)
	require.NoError(c.T, err, "WriteDatagram to %s", group)
	r := c.readDatagram(recv, 64, "ReadDatagram of a group datagram")
	require.NoError(c.T, r.err)
	assert.Equal(c.T, "member", string(r.data))
	assert.Equal(c.T, send.LocalAddrPort(), r.meta.Src, "meta.Src of a group datagram")

	require.NoError(c.T, recv.LeaveGroup(m.Group, m.Interface), "LeaveGroup")
	_, err = send.WriteDatagram([]byte("left"), group)
	require.NoError(c.T, err)
	_, err = send.WriteDatagram([]byte("unicast"), netip.AddrPortFrom(c.Sys.ServerAddr, port))
	require.NoError(c.T, err)
	r = c.readDatagram(recv, 64, "ReadDatagram after LeaveGroup")
	require.NoError(c.T, r.err)
	assert.Equal(c.T, "unicast", string(r.data), "a datagram to a group left must not arrive")
}
