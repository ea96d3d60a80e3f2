package faultproxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// Direction is one direction of the proxied connections.
type Direction int

// The two directions.
const (
	Upstream   Direction = iota // client → server
	Downstream                  // server → client
)

// String returns "upstream" or "downstream".
func (d Direction) String() string {
	switch d {
	case Upstream:
		return "upstream"
	case Downstream:
		return "downstream"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

func (d Direction) valid() bool { return d == Upstream || d == Downstream }

// DefaultMSS is the largest segment the proxy forwards when WithMSS is not
// given: the in-memory network's MSS on an ethernet-like (1500 byte MTU)
// IPv4 path.
const DefaultMSS = mem.DefaultMTU - headerBytes

// headerBytes is what each segment costs on a link with Bandwidth on top
// of its payload: IPv4 and TCP headers, as in package mem.
const headerBytes = 40

// Counters count a proxy's connections and, per direction, what crossed
// it, in the in-memory network's terms (mem.LinkCounters): Segments and
// Bytes forwarded, SegmentsStalled (a loss stall, or a segment held by a
// partition), SegmentsLost (VisibleStreamLoss), Resets (streams reset by
// ResetAfterBytes, ResetAt, or relayed from a peer's reset) and
// PartitionedDrops (handshakes a partition held back).
type Counters struct {
	Accepted, Active     int64
	Upstream, Downstream mem.LinkCounters
}

// Proxy is a TCP fault proxy: it accepts connections on its address,
// dials the upstream server for each, and forwards both directions under
// that direction's faults. Its methods are safe for concurrent use.
type Proxy struct {
	ln       net.Listener
	upstream string
	cfg      config

	mu        sync.Mutex // guards every field below
	faults    [2]mem.Faults
	sched     [2]*mem.Schedule
	busyUntil [2]time.Time  // Bandwidth: when the direction is free again
	kick      chan struct{} // closed and replaced when the faults change
	conns     map[*conn]struct{}
	closed    bool
	stats     Counters
	resetAt   *time.Timer
	armedAt   time.Time

	done   chan struct{}   // closed by Close
	ctx    context.Context // cancelled by Close: ends a dial to the server
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New listens on listen (e.g. "127.0.0.1:0") and returns a proxy to
// upstream (host:port), fault-free until SetFaults.
func New(listen, upstream string, opts ...Option) (*Proxy, error) {
	if _, _, err := net.SplitHostPort(upstream); err != nil {
		return nil, fmt.Errorf("faultproxy: upstream %q: %w", upstream, err)
	}
	cfg := config{seed: 1, client: "client", server: "server", mss: DefaultMSS}
	for _, o := range opts {
		o.apply(&cfg)
	}
	if cfg.mss < 1 {
		return nil, fmt.Errorf("faultproxy: MSS %d is not positive", cfg.mss)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("faultproxy: %w", err)
	}
	p := &Proxy{ln: ln, upstream: upstream, cfg: cfg, kick: make(chan struct{}),
		conns: make(map[*conn]struct{}), done: make(chan struct{})}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.sched[Upstream] = mem.NewSchedule(cfg.seed, cfg.client, cfg.server)
	p.sched[Downstream] = mem.NewSchedule(cfg.seed, cfg.server, cfg.client)
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

// Addr returns the address clients connect to.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Upstream returns the server's address.
func (p *Proxy) Upstream() string { return p.upstream }

// SetFaults replaces dir's faults; segments already on their way keep the
// faults they were sent under, as on a mem.Link. It refuses values the
// proxy cannot apply to a TCP stream between real sockets (see the package
// documentation) with an error naming the field.
func (p *Proxy) SetFaults(dir Direction, f mem.Faults) error {
	if !dir.valid() {
		return fmt.Errorf("faultproxy: no direction %d", int(dir))
	}
	if err := validate(f); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return net.ErrClosed
	}
	p.faults[dir] = f
	p.changedLocked()
	return nil
}

// Faults returns dir's faults (the zero value for a bad direction).
func (p *Proxy) Faults(dir Direction) mem.Faults {
	if !dir.valid() {
		return mem.Faults{}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.faults[dir]
}

// Partition cuts both directions: forwarding stops (data waits, as on a
// partitioned mem.Link) and new connections' handshakes are retransmitted
// until Heal.
func (p *Proxy) Partition() { p.setPartitioned(true) }

// Heal ends a partition of both directions; held data goes on, one
// Latency after the heal.
func (p *Proxy) Heal() { p.setPartitioned(false) }

func (p *Proxy) setPartitioned(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults[Upstream].Partitioned = on
	p.faults[Downstream].Partitioned = on
	p.changedLocked()
}

// changedLocked wakes whatever waits for a heal and arms ResetAt.
func (p *Proxy) changedLocked() {
	close(p.kick)
	p.kick = make(chan struct{})
	at := p.faults[Upstream].ResetAt
	if d := p.faults[Downstream].ResetAt; at.IsZero() || (!d.IsZero() && d.Before(at)) {
		at = d
	}
	if at.Equal(p.armedAt) {
		return
	}
	p.armedAt = at
	if p.resetAt != nil {
		p.resetAt.Stop()
	}
	if !at.IsZero() {
		p.resetAt = time.AfterFunc(time.Until(at), p.resetAll)
	}
}

// resetAll resets every connection (Faults.ResetAt).
func (p *Proxy) resetAll() {
	p.mu.Lock()
	cs := make([]*conn, 0, len(p.conns))
	for c := range p.conns {
		cs = append(cs, c)
	}
	now := time.Now()
	for _, dir := range []Direction{Upstream, Downstream} {
		if at := p.faults[dir].ResetAt; !at.IsZero() && !at.After(now) {
			p.countersLocked(dir).Resets += uint64(len(cs))
		}
	}
	p.mu.Unlock()
	for _, c := range cs {
		c.reset()
	}
}

// Counters returns a snapshot of the proxy's counters.
func (p *Proxy) Counters() Counters {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Close stops listening, closes every connection (both sides) and waits
// for the proxy's goroutines. It is idempotent.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.wg.Wait()
		return nil
	}
	p.closed = true
	close(p.done)
	p.cancel()
	if p.resetAt != nil {
		p.resetAt.Stop()
	}
	cs := make([]*conn, 0, len(p.conns))
	for c := range p.conns {
		cs = append(cs, c)
	}
	p.mu.Unlock()
	err := p.ln.Close()
	for _, c := range cs {
		c.close()
	}
	p.wg.Wait()
	return err
}

func (p *Proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		cl, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			select {
			case <-p.done:
				return
			case <-time.After(10 * time.Millisecond): // EMFILE and friends: back off
			}
			continue
		}
		c := newConn(p, cl.(*net.TCPConn))
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			_ = cl.Close()
			return
		}
		p.conns[c] = struct{}{}
		p.stats.Accepted++
		p.stats.Active++
		p.wg.Add(1)
		p.mu.Unlock()
		go c.run()
	}
}

// forget removes an ended connection.
func (p *Proxy) forget(c *conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.conns[c]; ok {
		delete(p.conns, c)
		p.stats.Active--
	}
}

// counters returns dir's counters; p.mu must be held.
func (p *Proxy) countersLocked(dir Direction) *mem.LinkCounters {
	if dir == Upstream {
		return &p.stats.Upstream
	}
	return &p.stats.Downstream
}

// validate refuses faults the proxy cannot apply.
func validate(f mem.Faults) error {
	switch {
	case f.Latency < 0, f.Jitter < 0, f.RetransmitDelay < 0:
		return errors.New("faultproxy: Latency, Jitter and RetransmitDelay must not be negative")
	case f.Loss < 0 || f.Loss > 1:
		return fmt.Errorf("faultproxy: Loss %v is not a probability", f.Loss)
	case f.Duplicate != 0 || f.Reorder != 0:
		return errors.New("faultproxy: Duplicate and Reorder apply to datagrams; a TCP proxy has none")
	case f.Bandwidth < 0:
		return fmt.Errorf("faultproxy: Bandwidth %d is negative", f.Bandwidth)
	case f.ResetAfterBytes < 0:
		return fmt.Errorf("faultproxy: ResetAfterBytes %d is negative", f.ResetAfterBytes)
	case f.Segment.Size < 0:
		return fmt.Errorf("faultproxy: Segment.Size %d is negative", f.Segment.Size)
	case f.Segment.Mode < mem.SegmentWhole || f.Segment.Mode > mem.SegmentByte:
		return fmt.Errorf("faultproxy: no segment mode %d", f.Segment.Mode)
	case f.Segment.ShortReads:
		return errors.New("faultproxy: Segment.ShortReads needs control of the client's reads; a proxy only cuts segments")
	}
	return nil
}
