package peer

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/internal/faketb"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// bindMem binds a datagram socket on h at addr.
func bindMem(t testing.TB, h transport.Transport, addr netip.AddrPort) transport.Datagram {
	t.Helper()
	s, err := h.BindDatagram(context.Background(), addr, transport.BindOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// upperUDP is code under test: it sends each message to server and returns
// the answers, reading each with a five-second timeout.
func upperUDP(pc net.PacketConn, server net.Addr, msgs ...string) ([]string, error) {
	var out []string
	b := make([]byte, 100)
	for _, m := range msgs {
		if _, err := pc.WriteTo([]byte(m), server); err != nil {
			return out, err
		}
		_ = pc.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _, err := pc.ReadFrom(b)
		if err != nil {
			return out, err
		}
		out = append(out, string(b[:n]))
	}
	return out, nil
}

func TestDatagramMem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, ch, sh := memHosts(t)
		cliAddr := netip.AddrPortFrom(clientAddr, 5000)
		srvAddr := netip.AddrPortFrom(serverAddr, 53)
		srv := NewDatagram(t).
			ExpectFrom(cliAddr, []byte("hello")).
			ReplyString("HELLO").
			ExpectString("").
			Wait(time.Second).
			Send(cliAddr, nil).
			ExpectNothing(time.Minute)
		srv.PlaySocket(bindMem(t, sh, srvAddr))
		pc := transport.PacketConn(bindMem(t, ch, cliAddr))
		start := time.Now()
		got, err := upperUDP(pc, net.UDPAddrFromAddrPort(srvAddr), "hello", "")
		require.NoError(t, err)
		assert.Equal(t, []string{"HELLO", ""}, got)
		assert.Equal(t, time.Second, time.Since(start), "Wait is virtual")
		<-srv.Done()
		assert.NoError(t, srv.Err())
	})
}

func TestDatagramLoopback(t *testing.T) {
	spc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	cpc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer cpc.Close()
	cli := cpc.LocalAddr().(*net.UDPAddr).AddrPort()
	srv := NewDatagram(t).ExpectFrom(cli, []byte("hello")).ReplyString("HELLO")
	srv.Play(spc)
	got, err := upperUDP(cpc, spc.LocalAddr(), "hello")
	require.NoError(t, err)
	assert.Equal(t, []string{"HELLO"}, got)
	<-srv.Done()
	assert.NoError(t, srv.Err())
}

// playDatagram plays build's script on the server host against client,
// which runs the code under test on a socket of the client host.
func playDatagram(t *testing.T, build func(*Datagram) *Datagram, client func(pc net.PacketConn, srv net.Addr)) *faketb.TB {
	t.Helper()
	f := faketb.New(nil)
	synctest.Test(t, func(t *testing.T) {
		_, ch, sh := memHosts(t)
		srvAddr := netip.AddrPortFrom(serverAddr, 53)
		srv := build(NewDatagram(f))
		srv.PlaySocket(bindMem(t, sh, srvAddr))
		client(transport.PacketConn(bindMem(t, ch, netip.AddrPortFrom(clientAddr, 5000))), net.UDPAddrFromAddrPort(srvAddr))
		<-srv.Done()
		f.End()
	})
	return f
}

func send(msgs ...string) func(net.PacketConn, net.Addr) {
	return func(pc net.PacketConn, srv net.Addr) {
		for _, m := range msgs {
			_, _ = pc.WriteTo([]byte(m), srv)
		}
	}
}

func TestDatagramFailures(t *testing.T) {
	f := playDatagram(t, func(d *Datagram) *Datagram {
		return d.ExpectString("hello").ExpectString("world").ReplyString("x")
	}, send("hello", "wOrld!"))
	assert.Equal(t, "peer: step 1 ExpectString(\"world\"): datagram 2 from 10.0.0.1:5000 (6 bytes) differs at byte 1\n"+
		"\texpected \"world\"\n"+
		"\t     got \"wOrld!\"\n"+
		"\t           ^\n"+
		"\t1 step(s) not played: step 2 ReplyString(\"x\")", f.One(t))

	f = playDatagram(t, func(d *Datagram) *Datagram { return d.ExpectString("hello") }, send("hello!"))
	assert.Contains(t, f.One(t), "datagram 1 from 10.0.0.1:5000 (6 bytes) differs at byte 5\n")

	f = playDatagram(t, func(d *Datagram) *Datagram {
		return d.ExpectFrom(netip.MustParseAddrPort("10.0.0.9:5000"), []byte("hello"))
	}, send("hello"))
	assert.Equal(t, "peer: step 0 ExpectFrom(10.0.0.9:5000, \"hello\"): datagram 1 came from 10.0.0.1:5000, not 10.0.0.9:5000; it held \"hello\"", f.One(t))

	f = playDatagram(t, func(d *Datagram) *Datagram { return d.Timeout(time.Minute).ExpectString("hello") }, send())
	assert.Equal(t, "peer: step 0 ExpectString(\"hello\"): no datagram before the step's deadline (1m0s)", f.One(t))

	f = playDatagram(t, func(d *Datagram) *Datagram { return d.ReplyString("hello") }, send())
	assert.Equal(t, "peer: step 0 ReplyString(\"hello\"): no datagram received yet to reply to", f.One(t))

	f = playDatagram(t, func(d *Datagram) *Datagram { return d.ExpectNothing(time.Second) }, send("boo"))
	assert.Equal(t, "peer: step 0 ExpectNothing(1s): datagram 1 arrived from 10.0.0.1:5000: \"boo\"", f.One(t))

	f = faketb.New(nil)
	NewDatagram(f).Send(netip.AddrPort{}, nil)
	f.End()
	assert.Equal(t, []string{
		"peer: step 0 Send(invalid AddrPort, \"\"): invalid destination address",
		"peer: the script was never played: 1 step(s) left: step 0 Send(invalid AddrPort, \"\")",
	}, f.Messages())
}

func TestDatagramStoppedAtCleanup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := faketb.New(nil)
		_, _, sh := memHosts(t)
		srv := NewDatagram(f).ExpectString("never").ReplyString("x")
		srv.PlaySocket(bindMem(t, sh, netip.AddrPortFrom(serverAddr, 53)))
		synctest.Wait()
		start := time.Now()
		f.End()
		assert.Zero(t, time.Since(start))
		assert.Equal(t, "peer: step 0 ExpectString(\"never\"): the test ended while this step waited\n"+
			"\t1 step(s) not played: step 1 ReplyString(\"x\")", f.One(t))
	})
}

// upperUDPServer is code under test: it answers one datagram upper-cased.
func upperUDPServer(s transport.Datagram) error {
	b := make([]byte, 100)
	n, meta, err := s.ReadDatagram(b)
	if err != nil {
		return err
	}
	_, err = s.WriteDatagram(bytes.ToUpper(b[:n]), meta.Src)
	return err
}

func TestDatagramPlaysClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, ch, sh := memHosts(t)
		srvAddr := netip.AddrPortFrom(serverAddr, 7)
		srv := bindMem(t, sh, srvAddr)
		done := make(chan error, 1)
		go func() { done <- upperUDPServer(srv) }()
		cli := NewDatagram(t).SendString(srvAddr, "hello").Expect([]byte("HELLO")).Reply(nil)
		assert.Equal(t, 3, cli.Len())
		cli.PlaySocket(bindMem(t, ch, netip.AddrPortFrom(clientAddr, 0)))
		<-cli.Done()
		assert.NoError(t, cli.Err())
		assert.NoError(t, <-done)
	})
}

func TestDatagramSendFails(t *testing.T) {
	// The I/O error behind a failure stays reachable with errors.Is.
	synctest.Test(t, func(t *testing.T) {
		f := faketb.New(nil)
		_, _, sh := memHosts(t)
		d := NewDatagram(f).Send(netip.AddrPortFrom(clientAddr, 5000), make([]byte, 70000))
		d.PlaySocket(bindMem(t, sh, netip.AddrPortFrom(serverAddr, 53)))
		<-d.Done()
		f.End()
		assert.ErrorIs(t, d.Err(), transport.DatagramTooLargeError)
		assert.Contains(t, f.One(t), `peer: step 0 Send(10.0.0.1:5000, "\x00\x00`)
	})
}
