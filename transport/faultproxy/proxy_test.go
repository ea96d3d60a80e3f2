package faultproxy

import (
	"bufio"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForwardsWithoutFaults(t *testing.T) {
	p := newProxy(t, upperServer(t))
	c := dial(t, p)
	r := bufio.NewReader(c)
	assert.Equal(t, "HELLO\n", exchange(t, c, r, "hello\n"))
	assert.Equal(t, "WORLD\n", exchange(t, c, r, "world\n"))
	st := p.Counters()
	assert.Equal(t, int64(1), st.Accepted)
	assert.Equal(t, uint64(12), st.Upstream.Bytes)
	assert.Equal(t, uint64(12), st.Downstream.Bytes)
}

// TestLatencyAndSlicing: under latency both ways and one-byte segments,
// the exchange still works and takes at least the modelled time: a round
// trip for the handshake and one for the exchange.
func TestLatencyAndSlicing(t *testing.T) {
	p := newProxy(t, upperServer(t))
	const lat = 20 * time.Millisecond
	for _, dir := range []Direction{Upstream, Downstream} {
		require.NoError(t, p.SetFaults(dir, mem.Faults{Latency: lat, Segment: mem.Segmentation{Mode: mem.SegmentByte}}))
	}
	start := time.Now()
	c := dial(t, p)
	r := bufio.NewReader(c)
	assert.Equal(t, "HELLO\n", exchange(t, c, r, "hello\n"))
	assert.GreaterOrEqual(t, time.Since(start), 4*lat)
	st := p.Counters()
	assert.Equal(t, uint64(6), st.Upstream.Segments)
	assert.Equal(t, uint64(6), st.Downstream.Segments)
}

// TestResetAfterBytes: the client reads exactly the bytes allowed, then
// ECONNRESET.
func TestResetAfterBytes(t *testing.T) {
	p := newProxy(t, upperServer(t))
	require.NoError(t, p.SetFaults(Downstream, mem.Faults{ResetAfterBytes: 3}))
	c := dial(t, p)
	_, err := io.WriteString(c, "hello\n")
	require.NoError(t, err)
	got, err := io.ReadAll(c)
	assert.Equal(t, "HEL", string(got))
	assert.ErrorIs(t, err, syscall.ECONNRESET)
	assert.Equal(t, uint64(1), p.Counters().Downstream.Resets)
}

// TestPartitionHoldsUntilHeal: nothing crosses a partition; the heal
// lets the held request through.
func TestPartitionHoldsUntilHeal(t *testing.T) {
	p := newProxy(t, upperServer(t))
	c := dial(t, p)
	r := bufio.NewReader(c)
	assert.Equal(t, "A\n", exchange(t, c, r, "a\n"))
	p.Partition()
	assert.True(t, p.Faults(Upstream).Partitioned)
	_, err := io.WriteString(c, "held\n")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return p.Counters().Upstream.SegmentsStalled > 0 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, uint64(2), p.Counters().Upstream.Bytes, "nothing forwarded while partitioned")
	p.Heal()
	got, err := r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HELD\n", got)
}

// TestRefusedUpstream: a server that is not there resets the client.
func TestRefusedUpstream(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	p := newProxy(t, addr)
	c, err := net.Dial("tcp", p.Addr())
	if err == nil { // else the reset came before connect returned
		defer c.Close()
		_, err = io.ReadAll(c)
	}
	assert.ErrorIs(t, err, syscall.ECONNRESET)
}

func TestBadInput(t *testing.T) {
	_, err := New("127.0.0.1:0", "no-port")
	assert.ErrorContains(t, err, `upstream "no-port"`)
	_, err = New("127.0.0.1:0", "127.0.0.1:1", WithMSS(0))
	assert.ErrorContains(t, err, "MSS 0")
	p := newProxy(t, "127.0.0.1:1")
	for _, c := range []struct {
		f    mem.Faults
		want string
	}{
		{mem.Faults{Latency: -1}, "must not be negative"},
		{mem.Faults{Loss: 2}, "Loss 2 is not a probability"},
		{mem.Faults{Duplicate: 0.5}, "apply to datagrams"},
		{mem.Faults{Bandwidth: -1}, "Bandwidth -1"},
		{mem.Faults{ResetAfterBytes: -1}, "ResetAfterBytes -1"},
		{mem.Faults{Segment: mem.Segmentation{Mode: 9}}, "no segment mode 9"},
		{mem.Faults{Segment: mem.Segmentation{ShortReads: true}}, "ShortReads"},
	} {
		assert.ErrorContains(t, p.SetFaults(Upstream, c.f), c.want)
	}
	assert.ErrorContains(t, p.SetFaults(Direction(5), mem.Faults{}), "no direction 5")
	assert.Equal(t, mem.Faults{}, p.Faults(Upstream), "a refused value changes nothing")
	assert.Equal(t, "Direction(5)", Direction(5).String())
	require.NoError(t, p.Close())
	assert.ErrorIs(t, p.SetFaults(Upstream, mem.Faults{}), net.ErrClosed)
}

// TestHalfClose: the client's FIN follows its data through latency, and
// the server's answer still comes back before the server's own FIN.
func TestHalfClose(t *testing.T) {
	p := newProxy(t, upperServer(t))
	for _, dir := range []Direction{Upstream, Downstream} {
		require.NoError(t, p.SetFaults(dir, mem.Faults{Latency: 5 * time.Millisecond, Jitter: 5 * time.Millisecond}))
	}
	c := dial(t, p)
	_, err := io.WriteString(c, "hello\nworld\n")
	require.NoError(t, err)
	require.NoError(t, c.(*net.TCPConn).CloseWrite())
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "HELLO\nWORLD\n", string(got))
	require.Eventually(t, func() bool { return p.Counters().Active == 0 }, 5*time.Second, time.Millisecond,
		"both FINs end the proxied connection")
}

// TestClientResetRelayed: a client that aborts resets the server's side.
func TestClientResetRelayed(t *testing.T) {
	errs := make(chan error, 1)
	p := newProxy(t, serve(t, func(c net.Conn) {
		_, err := io.ReadAll(c)
		errs <- err
	}))
	c := dial(t, p)
	_, err := io.WriteString(c, "x")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return p.Counters().Upstream.Bytes == 1 }, 5*time.Second, time.Millisecond)
	require.NoError(t, c.(*net.TCPConn).SetLinger(0))
	require.NoError(t, c.Close())
	assert.ErrorIs(t, <-errs, syscall.ECONNRESET)
	assert.Equal(t, uint64(1), p.Counters().Upstream.Resets)
}

// TestLossStalls: a lost segment arrives RetransmitDelay late, intact; with
// VisibleStreamLoss its bytes are gone.
func TestLossStalls(t *testing.T) {
	p := newProxy(t, upperServer(t))
	c := dial(t, p)
	r := bufio.NewReader(c)
	assert.Equal(t, "A\n", exchange(t, c, r, "a\n")) // connected before the loss
	const rto = 50 * time.Millisecond
	require.NoError(t, p.SetFaults(Upstream, mem.Faults{Loss: 1, RetransmitDelay: rto}))
	start := time.Now()
	assert.Equal(t, "B\n", exchange(t, c, r, "b\n"))
	assert.GreaterOrEqual(t, time.Since(start), rto)
	assert.Equal(t, uint64(1), p.Counters().Upstream.SegmentsStalled)

	require.NoError(t, p.SetFaults(Upstream, mem.Faults{Loss: 1, VisibleStreamLoss: true}))
	_, err := io.WriteString(c, "lost\n")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return p.Counters().Upstream.SegmentsLost == 1 }, 5*time.Second, time.Millisecond)
	require.NoError(t, p.SetFaults(Upstream, mem.Faults{}))
	assert.Equal(t, "C\n", exchange(t, c, r, "c\n"), "the lost line never reached the server")
}

// TestResetAt resets every connection at the time.
func TestResetAt(t *testing.T) {
	p := newProxy(t, upperServer(t))
	c := dial(t, p)
	r := bufio.NewReader(c)
	assert.Equal(t, "A\n", exchange(t, c, r, "a\n"))
	require.NoError(t, p.SetFaults(Downstream, mem.Faults{ResetAt: time.Now().Add(20 * time.Millisecond)}))
	_, err := io.ReadAll(c)
	assert.ErrorIs(t, err, syscall.ECONNRESET)
	assert.Equal(t, uint64(1), p.Counters().Downstream.Resets)
	assert.Equal(t, uint64(0), p.Counters().Upstream.Resets)
}

// TestCloseUnblocks: Close ends a connection whose data a partition holds,
// a handshake being retransmitted and a segment waiting for its time, and
// leaves no goroutine behind (goleak checks at the end).
func TestCloseUnblocks(t *testing.T) {
	p, err := New("127.0.0.1:0", upperServer(t))
	require.NoError(t, err)
	held, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	defer held.Close()
	r := bufio.NewReader(held)
	assert.Equal(t, "A\n", exchange(t, held, r, "a\n"))
	require.NoError(t, p.SetFaults(Downstream, mem.Faults{Latency: time.Hour}))
	_, err = io.WriteString(held, "slow\n")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return p.Counters().Downstream.Bytes == 7 }, 5*time.Second, time.Millisecond)
	p.Partition()
	_, err = io.WriteString(held, "held\n")
	require.NoError(t, err)
	syn, err := net.Dial("tcp", p.Addr()) // its SYN meets the partition
	require.NoError(t, err)
	defer syn.Close()
	require.Eventually(t, func() bool {
		st := p.Counters()
		return st.Upstream.SegmentsStalled == 1 && st.Upstream.PartitionedDrops >= 1
	}, 5*time.Second, time.Millisecond)

	require.NoError(t, p.Close())
	assert.Equal(t, int64(0), p.Counters().Active)
	_, err = io.ReadAll(held)
	assert.NoError(t, err, "Close closes the client side: EOF")
	require.NoError(t, p.Close(), "Close is idempotent")
}
