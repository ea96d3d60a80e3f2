package record

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/peer"
)

// Replayer plays the server side of a script over the in-memory network;
// Replay starts it.
type Replayer struct {
	t      testing.TB
	script *Script
	client *mem.Host
	opts   replayOptions

	streams []*peer.Stream // by connection, in the script's order
	dgrams  []dgramScript  // by datagram socket and peer address

	ctx    context.Context // cancelled at cleanup
	cancel context.CancelFunc
	wg     sync.WaitGroup // the accept loops and the done watcher
	done   chan struct{}

	mu   sync.Mutex // guards errs
	errs []error    // failures of the replay itself (unexpected connections, ...)
}

// ReplayOption configures Replay.
type ReplayOption interface{ applyReplay(*replayOptions) }

type replayOptions struct {
	timing  bool
	timeout time.Duration
}

type replayFunc func(*replayOptions)

func (f replayFunc) applyReplay(o *replayOptions) { f(o) }

// WithTiming makes the replay keep the recorded pace: before each thing
// the server does, it waits as long as the recording did since the
// connection's previous event (time.Sleep: virtual time under
// testing/synctest). Without it the server acts as soon as the client's
// bytes it answers have arrived.
func WithTiming() ReplayOption {
	return replayFunc(func(o *replayOptions) { o.timing = true })
}

// WithTimeout sets how long each step waits for the client (peer.Stream's
// Timeout; default peer.DefaultTimeout).
func WithTimeout(d time.Duration) ReplayOption {
	return replayFunc(func(o *replayOptions) { o.timeout = d })
}

// Replay plays the server side of s on the in-memory network of client,
// the host the code under test runs on, until the test ends:
//
//   - every recorded server address gets a listener: loopback addresses
//     (the usual case: a local server was recorded) and client's own on
//     client itself, others on the host of the network that owns the
//     address, or on a new host "replay-ADDR" owning it alone;
//   - the recorded lookups' answers go into the network's Zone (an
//     answer as A and AAAA records, a failure as the Zone's failure mode,
//     a reverse lookup as PTR records), so the client resolves the
//     recorded names;
//   - each recorded connection becomes a peer.Stream that plays the
//     server: the client's bytes are expected exactly (chunking aside),
//     the server's are sent, its FIN and reset are played, and the
//     client's FIN, close or reset are expected. Connections to one
//     address are matched in the order they were opened;
//   - each datagram socket's exchange is played from sockets bound at
//     the recorded peer addresses.
//
// Failures go to t with the connection and the script section involved: a
// wrong byte names the peer step, the byte offset in the stream and a
// diff; a recorded connection never made, or steps left unplayed, fail at
// cleanup; a connection the script does not have is reset and fails the
// test. Replay itself fails the test (and plays nothing) if s is invalid
// or an address cannot be set up.
func Replay(t testing.TB, client *mem.Host, s *Script, opts ...ReplayOption) *Replayer {
	t.Helper()
	r := &Replayer{t: t, script: s, client: client, done: make(chan struct{})}
	for _, o := range opts {
		o.applyReplay(&r.opts)
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	if err := r.setup(); err != nil {
		t.Errorf("record: replay: %v", err)
		r.cancel()
		close(r.done)
		return r
	}
	t.Cleanup(r.cleanup)
	r.wg.Add(1)
	go r.watch()
	return r
}

// setup validates the script, installs its names, builds the peers and
// starts listening.
func (r *Replayer) setup() error {
	if err := r.script.Validate(); err != nil {
		return err
	}
	if err := installNames(r.client.Network(), r.script); err != nil {
		return err
	}
	byServer := map[netip.AddrPort][]int{} // connection indexes by server address
	var order []netip.AddrPort
	for i, c := range r.script.Conns {
		if byServer[c.Server] == nil {
			order = append(order, c.Server)
		}
		byServer[c.Server] = append(byServer[c.Server], i)
	}
	var lns []transport.Listener
	undo := func() {
		closeAll(lns)
		closeScripts(r.dgrams)
	}
	for _, addr := range order {
		ln, err := r.listen(addr)
		if err != nil {
			undo()
			return err
		}
		lns = append(lns, ln)
	}
	for _, k := range r.script.Sockets { // peer scripts last: they report at cleanup if never played
		ds, err := r.buildDatagrams(k)
		if err != nil {
			undo()
			return fmt.Errorf("udp %d: %w", k.ID, err)
		}
		r.dgrams = append(r.dgrams, ds...)
	}
	for i := range r.script.Conns {
		r.streams = append(r.streams, r.buildStream(i))
	}
	for i, addr := range order {
		r.wg.Add(1)
		go r.acceptLoop(lns[i], r.openOrder(byServer[addr]))
	}
	for _, d := range r.dgrams {
		d.peer.PlaySocket(d.sock)
	}
	return nil
}

// openOrder sorts connection indexes by when their Open event comes.
func (r *Replayer) openOrder(idx []int) []int {
	pos := map[int]int{}
	for i, e := range r.script.Events {
		if e.Kind == Open {
			pos[e.ID] = i
		}
	}
	out := append([]int(nil), idx...)
	for i := 1; i < len(out); i++ { // insertion sort: a handful of connections
		for j := i; j > 0 && pos[r.script.Conns[out[j]].ID] < pos[r.script.Conns[out[j-1]].ID]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func closeAll(lns []transport.Listener) {
	for _, ln := range lns {
		_ = ln.Close()
	}
}

// listen opens a listener at a recorded server address.
func (r *Replayer) listen(addr netip.AddrPort) (transport.Listener, error) {
	addr = netip.AddrPortFrom(addr.Addr().Unmap(), addr.Port())
	h, err := hostFor(r.client, addr.Addr())
	if err != nil {
		return nil, err
	}
	ln, err := h.Listen(r.ctx, addr, transport.ListenOptions{})
	if err != nil {
		return nil, fmt.Errorf("listen on %v (host %s): %w", addr, h.Name(), err)
	}
	return ln, nil
}

// hostFor returns the host that is to own a recorded server address.
func hostFor(client *mem.Host, a netip.Addr) (*mem.Host, error) {
	if a.IsLoopback() || owns(client, a) {
		return client, nil
	}
	for _, h := range client.Network().Hosts() {
		if owns(h, a) {
			return h, nil
		}
	}
	return client.Network().AddHost("replay-"+a.String(),
		mem.IfaceConfig{Prefixes: []netip.Prefix{netip.PrefixFrom(a, a.BitLen())}})
}

func owns(h *mem.Host, a netip.Addr) bool {
	for _, x := range h.Addrs() {
		if x == a {
			return true
		}
	}
	return false
}

// acceptLoop hands the connections that arrive at ln to the scripts of
// the connections recorded to its address, in order, then resets any
// further one, until cleanup.
func (r *Replayer) acceptLoop(ln transport.Listener, conns []int) {
	defer r.wg.Done()
	defer ln.Close()
	for n := 0; ; n++ {
		s, err := ln.AcceptStream(r.ctx)
		if err != nil {
			return
		}
		if n < len(conns) {
			r.streams[conns[n]].Play(s)
			continue
		}
		_ = s.Abort()
		r.fail(fmt.Errorf("record: replay: connection %d to %v is not in the script (it has %d): reset",
			n+1, ln.AddrPort(), len(conns)))
	}
}

// fail reports a failure of the replay itself.
func (r *Replayer) fail(err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
	r.t.Errorf("%v", err)
}

// watch closes done once every connection and datagram exchange has
// played, or at cleanup.
func (r *Replayer) watch() {
	defer r.wg.Done()
	defer close(r.done)
	for _, s := range r.streams {
		select {
		case <-s.Done():
		case <-r.ctx.Done():
			return
		}
	}
	for _, d := range r.dgrams {
		select {
		case <-d.peer.Done():
		case <-r.ctx.Done():
			return
		}
	}
}

// cleanup stops accepting and joins the replay's goroutines; the peers'
// own cleanups, which run after it, report what was left unplayed.
func (r *Replayer) cleanup() {
	r.cancel()
	r.wg.Wait()
}

// Done is closed when every recorded connection and datagram exchange has
// played to its end (passed or failed), or when the test ends.
func (r *Replayer) Done() <-chan struct{} { return r.done }

// Err returns the first failure so far: the replay's own (an unexpected
// connection), then each connection's (a *peer.StepError) and each
// datagram exchange's, in the script's order; nil if none.
func (r *Replayer) Err() error {
	r.mu.Lock()
	errs := append([]error(nil), r.errs...)
	r.mu.Unlock()
	for _, s := range r.streams {
		if err := s.Err(); err != nil {
			errs = append(errs, err)
		}
	}
	for _, d := range r.dgrams {
		if err := d.peer.Err(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}
