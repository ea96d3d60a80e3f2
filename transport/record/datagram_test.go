package record

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// udpUpper is a real UDP server on loopback that answers each datagram
// upper-cased.
func udpUpper(t *testing.T) netip.AddrPort {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = pc.WriteTo(bytes.ToUpper(buf[:n]), from)
		}
	}()
	t.Cleanup(func() { _ = pc.Close(); wg.Wait() })
	return netip.MustParseAddrPort(pc.LocalAddr().String())
}

// udpClient sends each datagram to server and reads one answer for each.
func udpClient(t *testing.T, tr transport.Transport, server netip.AddrPort, msgs ...string) []string {
	d, err := tr.BindDatagram(context.Background(), netip.MustParseAddrPort("127.0.0.1:0"), transport.BindOptions{})
	require.NoError(t, err)
	defer d.Close()
	var got []string
	buf := make([]byte, 1500)
	for _, m := range msgs {
		_, err := d.WriteDatagram([]byte(m), server)
		require.NoError(t, err)
		n, meta, err := d.ReadDatagram(buf)
		require.NoError(t, err)
		assert.Equal(t, server, meta.Src)
		got = append(got, string(buf[:n]))
	}
	return got
}

// TestRecordReplayDatagrams records a UDP exchange with a real server
// and replays it in memory: the client gets the same answers.
func TestRecordReplayDatagrams(t *testing.T) {
	server := udpUpper(t)
	rec := New(netsock.New())
	real := udpClient(t, rec, server, "ping", "\x00binary\x01")
	require.Equal(t, []string{"PING", "\x00BINARY\x01"}, real)
	s := rec.Script()
	require.Len(t, s.Sockets, 1)
	assert.Equal(t, []string{
		"udp 1 client send " + server.String() + " quoted\n\"ping\"",
		"udp 1 server send " + server.String() + " quoted\n\"PING\"",
		"udp 1 client send " + server.String() + " quoted\n\"\\x00binary\\x01\"",
		"udp 1 server send " + server.String() + " quoted\n\"\\x00BINARY\\x01\"",
	}, kinds(s))

	synctest.Test(t, func(t *testing.T) {
		rp := Replay(t, newClientHost(t), s)
		replayed := udpClient(t, rpHost(rp), server, "ping", "\x00binary\x01")
		<-rp.Done()
		assert.NoError(t, rp.Err())
		assert.Equal(t, real, replayed)
	})
}

// rpHost is the host a Replayer plays for.
func rpHost(rp *Replayer) transport.Transport { return rp.client }

// TestReplayDatagramDiffers: a client datagram that differs from the
// recorded one fails naming the socket, the section and the byte.
func TestReplayDatagramDiffers(t *testing.T) {
	const text = `udp 1 10.0.0.1:5000
-- udp 1 client send 10.0.0.2:53 --
query
-- udp 1 server send 10.0.0.2:53 --
answer
`
	f := replayFake(t, text, func(tr transport.Transport) {
		d, err := tr.BindDatagram(context.Background(), netip.AddrPort{}, transport.BindOptions{})
		require.NoError(t, err)
		defer d.Close()
		_, err = d.WriteDatagram([]byte("qvery\n"), netip.MustParseAddrPort("10.0.0.2:53"))
		require.NoError(t, err)
	})
	msg := f.One(t)
	t.Log(msg)
	assert.Contains(t, msg, `record: replay of udp 1 (from 10.0.0.1:5000) at 10.0.0.2:53: peer: step 0 (section 1) Expect("query\n"): `)
	assert.Contains(t, msg, "differs at byte 1\n\texpected \"query\\n\"\n\t     got \"qvery\\n\"")
	assert.Contains(t, msg, `step 1 (section 2) Reply("answer\n")`)
}

// TestRecordDatagramMeta: a datagram sent with its own hop limit is
// recorded like any other.
func TestRecordDatagramMeta(t *testing.T) {
	server := udpUpper(t)
	rec := New(netsock.New())
	d, err := rec.BindDatagram(context.Background(), netip.MustParseAddrPort("127.0.0.1:0"), transport.BindOptions{})
	require.NoError(t, err)
	defer d.Close()
	mw, ok := d.(transport.DatagramMetaWriter)
	require.True(t, ok)
	_, err = mw.WriteDatagramMeta([]byte("ttl\n"), server, 5, 0)
	require.NoError(t, err)
	buf := make([]byte, 64)
	n, _, err := d.ReadDatagram(buf)
	require.NoError(t, err)
	assert.Equal(t, "TTL\n", string(buf[:n]))
	assert.Equal(t, []string{"udp 1 client send " + server.String() + "\nttl", "udp 1 server send " + server.String() + "\nTTL"}, kinds(rec.Script()))
}
