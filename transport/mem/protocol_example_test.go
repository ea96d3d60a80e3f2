package mem_test

// A worked example of testing a protocol over the in-memory network: a
// small length-prefixed key-value GET protocol (client with a per-request
// timeout and retries, server with one goroutine per connection), tested
// under testing/synctest against latency, stream loss, a partition and
// segmentation, with a seed that a failing run prints and -seed replays.
// docs/transport.md walks through it.

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// ---- The protocol -----------------------------------------------------
//
// A frame is a 4-byte big-endian length and that many bytes. A request's
// body is a key; a response's body is a status byte ('+' found, '-' not
// found) followed by the value.

const maxFrame = 1 << 20

var errNotFound = errors.New("kv: key not found")

// writeFrame writes body as one frame, in one Write.
func writeFrame(w io.Writer, body []byte) error {
	buf := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(buf, uint32(len(body)))
	copy(buf[4:], body)
	_, err := w.Write(buf)
	return err
}

// readFrame reads one frame however the stream splits it: io.ReadFull waits
// for the whole header, then for the whole body.
func readFrame(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > maxFrame {
		return nil, fmt.Errorf("kv: frame of %d bytes exceeds %d", n, maxFrame)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return body, nil
}

// readFrameNaive is the framing bug: it assumes one Read returns one whole
// frame. That holds on a fault-free link, where one Write arrives as one
// segment, and nowhere else.
func readFrameNaive(r io.Reader) ([]byte, error) {
	buf := make([]byte, 64<<10)
	n, err := r.Read(buf)
	if err != nil {
		return nil, err
	}
	if n < 4 {
		return nil, fmt.Errorf("kv: short frame header (%d bytes)", n)
	}
	return buf[4:n], nil
}

// kvServer answers GETs from a fixed map, one goroutine per connection.
type kvServer struct {
	ln   transport.Listener
	data map[string]string
	wg   sync.WaitGroup

	mu    sync.Mutex // guards conns
	conns map[net.Conn]struct{}
}

func startKV(ln transport.Listener, data map[string]string) *kvServer {
	s := &kvServer{ln: ln, data: data, conns: map[net.Conn]struct{}{}}
	s.wg.Go(s.acceptLoop)
	return s
}

func (s *kvServer) acceptLoop() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // the listener was closed
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Go(func() { s.serve(c) })
	}
}

func (s *kvServer) serve(c net.Conn) {
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		_ = c.Close()
	}()
	for {
		key, err := readFrame(c)
		if err != nil {
			return
		}
		resp := []byte{'-'}
		if v, ok := s.data[string(key)]; ok {
			resp = append([]byte{'+'}, v...)
		}
		if writeFrame(c, resp) != nil {
			return
		}
	}
}

// Close stops the listener, closes every connection and waits for the
// server's goroutines. Closing twice is harmless.
func (s *kvServer) Close() {
	_ = s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// kvClient sends GETs over one kept-alive stream and redials after an
// error. Each attempt has its own timeout covering dial, write and read; an
// attempt that failed in a way a later one may not is retried after
// backoff, up to retries times. Not safe for concurrent use.
type kvClient struct {
	tr        transport.Transport
	addr      netip.AddrPort
	timeout   time.Duration
	retries   int
	backoff   time.Duration
	readFrame func(io.Reader) ([]byte, error)

	conn     transport.Stream
	attempts int // attempts made by the last Get
}

// Get returns key's value, or errNotFound, or the last attempt's error.
func (c *kvClient) Get(ctx context.Context, key string) (string, error) {
	c.attempts = 0
	for {
		c.attempts++
		v, err := c.try(ctx, key)
		if err == nil || !retryable(err) || c.attempts > c.retries {
			return v, err
		}
		select {
		case <-time.After(c.backoff):
		case <-ctx.Done():
			return "", err
		}
	}
}

// retryable reports whether another attempt may succeed: a timeout, a
// refused or reset connection, a stream that ended.
func retryable(err error) bool {
	return errors.Is(err, transport.SocketTimeoutError) ||
		errors.Is(err, transport.ConnectionRefusedError) ||
		errors.Is(err, transport.RemoteHostClosedError) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

func (c *kvClient) try(ctx context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if c.conn == nil {
		s, err := c.tr.Dial(ctx, c.addr, transport.DialOptions{})
		if err != nil {
			return "", fmt.Errorf("kv: dial: %w", err)
		}
		c.conn = s
	}
	deadline, _ := ctx.Deadline()
	body, err := c.roundTrip(deadline, key)
	if err != nil {
		c.Close() // the stream's state is unknown: start afresh
		return "", fmt.Errorf("kv: get %q: %w", key, err)
	}
	switch {
	case len(body) > 0 && body[0] == '+':
		return string(body[1:]), nil
	case len(body) == 1 && body[0] == '-':
		return "", errNotFound
	}
	c.Close()
	return "", fmt.Errorf("kv: get %q: malformed response %q", key, body)
}

func (c *kvClient) roundTrip(deadline time.Time, key string) ([]byte, error) {
	if err := c.conn.SetDeadline(deadline); err != nil {
		return nil, err
	}
	if err := writeFrame(c.conn, []byte(key)); err != nil {
		return nil, err
	}
	read := c.readFrame
	if read == nil {
		read = readFrame
	}
	return read(c.conn)
}

// Close drops the connection.
func (c *kvClient) Close() {
	if c.conn != nil {
		_ = c.conn.Close()
		c.conn = nil
	}
}

// ---- Seeds: print on failure, replay with -seed -----------------------

var seedFlag = flag.Uint64("seed", 0, "network seed for the protocol tests (0: each test's own); a failing test prints seed=N")

// seedEnv is the environment variable read when -seed is not given.
const seedEnv = "SLOTNET_SEED"

// testSeed returns the seed of t's network: -seed, else $SLOTNET_SEED, else
// def. If t fails it logs seed=N, so that `go test -run <test> -seed=N`
// replays the run exactly: every delay, loss and segment size.
func testSeed(t testing.TB, def uint64) uint64 {
	t.Helper()
	seed, err := pickSeed(*seedFlag, os.Getenv(seedEnv), def)
	require.NoError(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed=%d (replay: go test -run '^%s$' -seed=%d)", seed, t.Name(), seed)
		}
	})
	return seed
}

// pickSeed chooses between the flag's value, the environment's and def.
func pickSeed(flagSeed uint64, env string, def uint64) (uint64, error) {
	switch {
	case flagSeed != 0:
		return flagSeed, nil
	case env != "":
		s, err := strconv.ParseUint(env, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s=%q: %w", seedEnv, env, err)
		}
		return s, nil
	}
	return def, nil
}

// ---- The world: a client host, a server host, a running server ---------

var (
	kvAddr = netip.MustParseAddrPort("10.0.0.2:7000")
	kvData = map[string]string{
		"alpha": "the first letter of the Greek alphabet",
		"beta":  "the second letter, and a test release",
		"gamma": "radiation, or the third letter",
	}
)

type kvWorld struct {
	n              *mem.Network
	client, server *mem.Host
}

// newKVWorld builds the network with seed and starts the server; the test's
// end stops it.
func newKVWorld(t testing.TB, seed uint64) *kvWorld {
	n := mem.New(mem.WithSeed(seed))
	w := &kvWorld{
		n:      n,
		client: n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}}),
		server: n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}}),
	}
	ln, err := w.server.Listen(context.Background(), kvAddr, transport.ListenOptions{})
	require.NoError(t, err)
	srv := startKV(ln, kvData)
	t.Cleanup(srv.Close)
	return w
}

// newClient returns a client with a 500ms timeout and no retries; the
// test's end closes it.
func (w *kvWorld) newClient(t testing.TB) *kvClient {
	c := &kvClient{tr: w.client, addr: kvAddr, timeout: 500 * time.Millisecond, backoff: 100 * time.Millisecond}
	t.Cleanup(c.Close)
	return c
}

// setFaults gives both directions between client and server the faults f.
func (w *kvWorld) setFaults(f mem.Faults) {
	w.n.Link(w.client, w.server).SetFaults(f)
	w.n.Link(w.server, w.client).SetFaults(f)
}

// getAll fetches every key in order and reports the first wrong answer.
func getAll(ctx context.Context, c *kvClient) error {
	for _, k := range slices.Sorted(maps.Keys(kvData)) {
		v, err := c.Get(ctx, k)
		if err != nil {
			return err
		}
		if v != kvData[k] {
			return fmt.Errorf("get %q = %q, want %q", k, v, kvData[k])
		}
	}
	return nil
}

// ---- The tests ----------------------------------------------------------

// A request costs one round trip; the first also pays the handshake's.
func TestProtocolLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const latency = 25 * time.Millisecond
		w := newKVWorld(t, testSeed(t, 1))
		w.setFaults(mem.Faults{Latency: latency})
		c := w.newClient(t)

		start := time.Now()
		v, err := c.Get(t.Context(), "alpha")
		require.NoError(t, err)
		assert.Equal(t, kvData["alpha"], v)
		assert.Equal(t, 4*latency, time.Since(start), "SYN, SYN-ACK, request, response")

		start = time.Now()
		_, err = c.Get(t.Context(), "nope")
		assert.ErrorIs(t, err, errNotFound)
		assert.Equal(t, 2*latency, time.Since(start), "the stream is kept: one round trip")
	})
}

// Stream loss never loses bytes: a lost segment is retransmitted after
// RetransmitDelay, so every request completes, late by exactly one delay per
// lost segment. The seed fixes which segments are lost.
func TestProtocolStreamLoss(t *testing.T) {
	const defSeed = 7
	synctest.Test(t, func(t *testing.T) {
		const latency, rto, requests = 10 * time.Millisecond, 200 * time.Millisecond, 40
		seed := testSeed(t, defSeed)
		w := newKVWorld(t, seed)
		c := w.newClient(t)
		_, err := c.Get(t.Context(), "alpha") // connect before the faults start
		require.NoError(t, err)
		w.setFaults(mem.Faults{Latency: latency, Loss: 0.25, RetransmitDelay: rto})

		start := time.Now()
		slow := 0
		for range requests {
			t0 := time.Now()
			v, err := c.Get(t.Context(), "beta")
			require.NoError(t, err)
			require.Equal(t, kvData["beta"], v)
			require.Equal(t, 1, c.attempts, "loss delays a stream, it never times it out here")
			if time.Since(t0) > 2*latency {
				slow++
			}
		}
		elapsed := time.Since(start)
		stalled := w.n.Link(w.client, w.server).Counters().SegmentsStalled +
			w.n.Link(w.server, w.client).Counters().SegmentsStalled
		assert.Equal(t, requests*2*latency+time.Duration(stalled)*rto, elapsed,
			"one round trip per request plus one RetransmitDelay per lost segment")
		if seed == defSeed { // golden numbers hold for the default seed only
			assert.Equal(t, uint64(22), stalled, "segments lost")
			assert.Equal(t, 19, slow, "requests delayed")
			assert.Equal(t, 5200*time.Millisecond, elapsed)
		}
	})
}

// During a partition a request times out with a timeout error; retries
// keep failing while it lasts, and the first attempt after Heal succeeds.
func TestProtocolPartition(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const latency = 10 * time.Millisecond
		w := newKVWorld(t, testSeed(t, 1))
		w.setFaults(mem.Faults{Latency: latency})
		c := w.newClient(t)
		_, err := c.Get(t.Context(), "alpha")
		require.NoError(t, err)

		w.n.Partition(w.client, w.server)
		start := time.Now()
		_, err = c.Get(t.Context(), "alpha")
		require.Error(t, err)
		t.Logf("during the partition: %v", err)
		assert.ErrorIs(t, err, transport.SocketTimeoutError)
		assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
		var ne net.Error
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout(), "a net.Error with Timeout()")
		assert.Equal(t, c.timeout, time.Since(start), "the per-request timeout, to the nanosecond")

		// Retries do not help while the partition lasts: each redial's SYN
		// is dropped and the attempt times out.
		c.retries = 2
		start = time.Now()
		_, err = c.Get(t.Context(), "alpha")
		t.Logf("after 3 attempts: %v", err)
		assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
		assert.Equal(t, 3, c.attempts)
		assert.Equal(t, 3*c.timeout+2*c.backoff, time.Since(start))

		// Heal 1.5s in: attempts start at 0, 0.6 and 1.2s and time out;
		// the one at 1.8s dials and asks in two round trips.
		c.retries = 5
		start = time.Now()
		heal := time.AfterFunc(1500*time.Millisecond, func() { w.n.Heal(w.client, w.server) })
		defer heal.Stop()
		v, err := c.Get(t.Context(), "alpha")
		require.NoError(t, err)
		assert.Equal(t, kvData["alpha"], v)
		assert.Equal(t, 4, c.attempts)
		assert.Equal(t, 3*(c.timeout+c.backoff)+4*latency, time.Since(start))

		// The request held in the partition reached the server after the
		// heal and was answered, but its stream was closed: the stale
		// answer never reached the client.
		frame := uint64(4 + 1 + len(kvData["alpha"]))
		assert.Equal(t, 3*frame, w.server.Counters().StreamBytesSent)
		assert.Equal(t, 2*frame, w.client.Counters().StreamBytesReceived)
	})
}

// Segmentation and short reads split responses across Reads, as a real
// network may. The naive reader passes on a fault-free link and fails
// under segmentation; the io.ReadFull reader passes both.
func TestProtocolSegmentation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		seg      mem.Segmentation
		naiveErr string
	}{
		{"byte", mem.Segmentation{Mode: mem.SegmentByte, ShortReads: true}, "short frame header"},
		// Random cuts fail it in a way that depends on the seed: a short
		// value, or an empty, malformed one.
		{"random", mem.Segmentation{Mode: mem.SegmentRandom, Size: 12, ShortReads: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := testSeed(t, 3)
			run := func(reader func(io.Reader) ([]byte, error), f mem.Faults) (err error) {
				synctest.Test(t, func(t *testing.T) {
					w := newKVWorld(t, seed)
					w.setFaults(f)
					c := w.newClient(t)
					c.readFrame = reader
					err = getAll(t.Context(), c)
				})
				return err
			}
			segmented := mem.Faults{Latency: time.Millisecond, Segment: tc.seg}
			assert.NoError(t, run(readFrameNaive, mem.Faults{Latency: time.Millisecond}),
				"the naive reader passes a fault-free test: the bug hides")
			err := run(readFrameNaive, segmented)
			require.Error(t, err, "segmentation catches the naive reader")
			t.Logf("naive reader under %s segmentation: %v", tc.name, err)
			if tc.naiveErr != "" {
				assert.ErrorContains(t, err, tc.naiveErr)
			}
			assert.NoError(t, run(readFrame, segmented), "io.ReadFull framing passes")
		})
	}
}

// The same seed replays a run exactly; another seed loses other segments.
func TestProtocolSeedReplay(t *testing.T) {
	run := func(seed uint64) (durations []time.Duration) {
		synctest.Test(t, func(t *testing.T) {
			w := newKVWorld(t, seed)
			c := w.newClient(t)
			c.timeout = 2 * time.Second           // a request stalls at most one RetransmitDelay each way
			_, err := c.Get(t.Context(), "gamma") // connect first: no SYN to lose
			require.NoError(t, err)
			w.setFaults(mem.Faults{Latency: 5 * time.Millisecond, Jitter: 5 * time.Millisecond, Loss: 0.2,
				Segment: mem.Segmentation{Mode: mem.SegmentRandom, Size: 16, ShortReads: true}})
			for range 10 {
				t0 := time.Now()
				_, err := c.Get(t.Context(), "gamma")
				require.NoError(t, err)
				durations = append(durations, time.Since(t0))
			}
		})
		return durations
	}
	seed := testSeed(t, 11)
	first := run(seed)
	assert.Equal(t, first, run(seed), "same seed, same timings")
	assert.NotEqual(t, first, run(seed+1), "another seed, other losses")
}

func TestProtocolPickSeed(t *testing.T) {
	s, err := pickSeed(0, "", 5)
	require.NoError(t, err)
	assert.Equal(t, uint64(5), s, "the test's default")
	s, err = pickSeed(0, "42", 5)
	require.NoError(t, err)
	assert.Equal(t, uint64(42), s, "$"+seedEnv)
	s, err = pickSeed(9, "42", 5)
	require.NoError(t, err)
	assert.Equal(t, uint64(9), s, "-seed wins")
	_, err = pickSeed(0, "x", 5)
	assert.ErrorContains(t, err, seedEnv)
}

// A GET over the in-memory network, outside a bubble: with no faults
// nothing waits, so real time is fine.
func Example_keyValueProtocol() {
	n := mem.New(mem.WithSeed(1))
	client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
	server := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
	ln, err := server.Listen(context.Background(), kvAddr, transport.ListenOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := startKV(ln, kvData)
	defer srv.Close()

	c := &kvClient{tr: client, addr: kvAddr, timeout: time.Second}
	defer c.Close()
	v, err := c.Get(context.Background(), "alpha")
	fmt.Printf("alpha: %q %v\n", v, err)
	_, err = c.Get(context.Background(), "delta")
	fmt.Println("delta:", err)
	fmt.Println("from", c.conn.LocalAddrPort(), "to", c.conn.RemoteAddrPort())
	// Output:
	// alpha: "the first letter of the Greek alphabet" <nil>
	// delta: kv: key not found
	// from 10.0.0.1:32768 to 10.0.0.2:7000
}
