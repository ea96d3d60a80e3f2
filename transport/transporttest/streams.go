package transporttest

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestStreams checks stream basics: an echo, a bulk transfer both ways at
// once, the addresses of both ends, concurrent Read and Write on one
// stream, Close unblocking Read and Write, empty writes and the LowDelay
// option.
func TestStreams(t *testing.T, env Env) {
	runChecks(t, env, "Streams", []check{
		{"Echo", checkEcho},
		{"ConcurrentReadWrite", checkConcurrentReadWrite},
		{"Bulk", checkBulk},
		{"Addresses", checkAddresses},
		{"CloseUnblocks", checkCloseUnblocks},
		{"EmptyWrite", checkEmptyWrite},
		{"Options", checkStreamOptions},
	})
}

func checkEcho(c *C) {
	client, server := c.Pair()
	go func() { _, _ = io.Copy(server, io.LimitReader(server, 5)) }()
	_, err := client.Write([]byte("hello"))
	require.NoError(c.T, err, "client Write")
	got := make([]byte, 5)
	c.Within("echo read", func() { _, err = io.ReadFull(client, got) }, closeAll(client, server))
	require.NoError(c.T, err, "client Read of the echo")
	assert.Equal(c.T, "hello", string(got))
}

// pattern returns n bytes of a sequence that shows lost, repeated or
// reordered bytes: byte i of the stream is (i mod 251).
func pattern(off, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte((off + i) % 251)
	}
	return b
}

// writePattern writes the pattern's bytes [from, to) in chunks.
func writePattern(w io.Writer, from, to, chunk int) error {
	for off := from; off < to; off += chunk {
		n := min(chunk, to-off)
		if _, err := w.Write(pattern(off, n)); err != nil {
			return fmt.Errorf("write at %d: %w", off, err)
		}
	}
	return nil
}

// readPattern reads until EOF or error and verifies the pattern; it returns
// the count of bytes read, the first mismatch offset (-1 if none) and the
// terminating error.
func readPattern(r io.Reader) (n, bad int, err error) {
	buf := make([]byte, 32<<10)
	bad = -1
	for {
		k, rerr := r.Read(buf)
		if bad < 0 && !bytes.Equal(buf[:k], pattern(n, k)) {
			bad = n
		}
		n += k
		if rerr != nil {
			return n, bad, rerr
		}
	}
}

func checkBulk(c *C) {
	const total = 1 << 20
	c.needDuplex()
	client, server := c.Pair()
	type result struct {
		n, bad int
		err    error
	}
	results := make(chan result, 2)
	werrs := make(chan error, 2)
	for _, s := range []transport.Stream{client, server} {
		go func() {
			err := writePattern(s, 0, total, 7919)
			if err == nil {
				err = s.CloseWrite()
			}
			werrs <- err
		}()
		go func() {
			n, bad, err := readPattern(s)
			results <- result{n, bad, err}
		}()
	}
	c.Within("bulk transfer", func() {
		for range 2 {
			assert.NoError(c.T, <-werrs, "writer")
			r := <-results
			assert.Equal(c.T, total, r.n, "bytes received")
			assert.Equal(c.T, -1, r.bad, "offset of the first corrupted byte")
			c.wantEOF(r.err, "Read at the end of the bulk transfer")
		}
	}, closeAll(client, server))
}

func checkAddresses(c *C) {
	ln := c.Listen(transport.ListenOptions{})
	lap := ln.AddrPort()
	assert.Equal(c.T, c.Sys.ServerAddr, lap.Addr(), "listener address")
	assert.NotZero(c.T, lap.Port(), "listener port (0 must pick one)")
	client, err := c.Dial(lap)
	require.NoError(c.T, err, "Dial")
	server := c.Accept(ln)
	assert.Equal(c.T, lap, client.RemoteAddrPort(), "client RemoteAddrPort")
	assert.Equal(c.T, lap, server.LocalAddrPort(), "server LocalAddrPort")
	assert.Equal(c.T, client.LocalAddrPort(), server.RemoteAddrPort(), "server RemoteAddrPort")
	assert.NotZero(c.T, client.LocalAddrPort().Port(), "client ephemeral port")
	assert.Equal(c.T, client.LocalAddrPort().String(), client.LocalAddr().String(), "LocalAddr and LocalAddrPort agree")
	assert.Equal(c.T, server.RemoteAddrPort().String(), server.RemoteAddr().String(), "RemoteAddr and RemoteAddrPort agree")
}

// checkConcurrentReadWrite blocks a Read on the client and, while it
// waits, writes on the same stream: the Write must complete without
// waiting for the Read (a stream that serializes them deadlocks here),
// and the peer's answer must then complete the Read.
func checkConcurrentReadWrite(c *C) {
	client, server := c.Pair()
	c.duplex(client, server)
}

// duplex runs the ConcurrentReadWrite exchange on a pair and reports
// whether the Write got through while the Read waited.
func (c *C) duplex(client, server transport.Stream) bool {
	c.T.Helper()
	got := make([]byte, 4)
	var rerr error
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		_, rerr = io.ReadFull(client, got)
	}()
	c.waitBlocked() // the Read is waiting (and holds whatever it holds)
	var werr error
	ok := c.Progress("Write while a Read is blocked on the same stream", func() {
		_, werr = client.Write([]byte("ping"))
	}, closeAll(client, server))
	if !ok {
		<-readDone
		return false
	}
	require.NoError(c.T, werr, "Write")
	echo := make([]byte, 4)
	c.Within("peer read and answer", func() {
		if _, err := io.ReadFull(server, echo); assert.NoError(c.T, err) {
			_, err = server.Write([]byte("pong"))
			assert.NoError(c.T, err, "peer Write")
		}
	}, closeAll(client, server))
	c.Within("Read of the answer", func() { <-readDone }, closeAll(client, server))
	assert.Equal(c.T, "ping", string(echo))
	if assert.NoError(c.T, rerr, "Read") {
		assert.Equal(c.T, "pong", string(got))
	}
	return true
}

// needDuplex stops a check that reads and writes one stream at once when
// the transport cannot: under a bubble such a check would freeze the clock
// (a goroutine waiting on a mutex is not durably blocked) and hang.
func (c *C) needDuplex() {
	c.T.Helper()
	if !c.Env.virtual() {
		return
	}
	client, server := c.Pair()
	if !c.duplex(client, server) {
		c.T.Fatal("this check reads and writes one stream at once, which the transport cannot do (see Streams/ConcurrentReadWrite); running it would deadlock the bubble")
	}
}

func checkCloseUnblocks(c *C) {
	client, server := c.Pair()
	c.fill(client)
	errs := make(chan error, 2)
	go func() { _, err := client.Read(make([]byte, 16)); errs <- err }()
	go func() {
		var err error
		for err == nil {
			_, err = client.Write(make([]byte, 64<<10))
		}
		errs <- err
	}()
	c.settle()
	require.NoError(c.T, client.Close(), "Close")
	c.Within("Read and Write blocked at Close", func() {
		for range 2 {
			c.wantClosed(<-errs, "a Read or Write blocked when Close was called")
		}
	}, closeAll(server))
}

func checkEmptyWrite(c *C) {
	client, server := c.Pair()
	n, err := client.Write(nil)
	assert.NoError(c.T, err, "Write(nil)")
	assert.Zero(c.T, n, "Write(nil) count")
	_, err = client.Write([]byte("x"))
	require.NoError(c.T, err)
	b := make([]byte, 1)
	c.Within("Read after an empty Write", func() { _, err = io.ReadFull(server, b) }, closeAll(client, server))
	assert.NoError(c.T, err)
	assert.Equal(c.T, "x", string(b), "an empty Write sends nothing")
}

func checkStreamOptions(c *C) {
	client, _ := c.Pair()
	require.NoError(c.T, client.SetOption(transport.LowDelayOption, 1), "SetOption(LowDelayOption, 1)")
	v, err := client.Option(transport.LowDelayOption)
	require.NoError(c.T, err, "Option(LowDelayOption)")
	assert.Equal(c.T, 1, v, "LowDelayOption after setting 1")
	require.NoError(c.T, client.SetOption(transport.LowDelayOption, 0))
	v, err = client.Option(transport.LowDelayOption)
	require.NoError(c.T, err)
	assert.Equal(c.T, 0, v, "LowDelayOption after setting 0")
}
