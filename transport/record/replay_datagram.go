package record

import (
	"bytes"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// dgramPlayer plays the other side of one recorded datagram socket: it
// binds a socket at every address the client exchanged datagrams with,
// expects the client's datagrams there, in order, and answers with the
// recorded ones.
type dgramPlayer struct {
	r      *Replayer
	sock   Socket
	events []int                                 // indexes of the socket's events in the script
	socks  map[netip.AddrPort]transport.Datagram // bound at the recorded peer addresses

	done     chan struct{}
	stopOnce sync.Once
	stopped  chan struct{}

	mu  sync.Mutex // guards err
	err error
}

// newDgramPlayer binds the sockets of one recorded datagram socket.
func (r *Replayer) newDgramPlayer(k Socket) (*dgramPlayer, error) {
	d := &dgramPlayer{r: r, sock: k, socks: map[netip.AddrPort]transport.Datagram{},
		done: make(chan struct{}), stopped: make(chan struct{})}
	for i, e := range r.script.Events {
		if e.Kind != Datagram || e.ID != k.ID {
			continue
		}
		d.events = append(d.events, i)
		if _, ok := d.socks[e.Peer]; ok {
			continue
		}
		h, err := hostFor(r.client, e.Peer.Addr().Unmap())
		if err != nil {
			d.stop()
			return nil, err
		}
		s, err := h.BindDatagram(r.ctx, netip.AddrPortFrom(e.Peer.Addr().Unmap(), e.Peer.Port()), transport.BindOptions{})
		if err != nil {
			d.stop()
			return nil, fmt.Errorf("bind %v: %w", e.Peer, err)
		}
		d.socks[e.Peer] = s
	}
	return d, nil
}

// stop closes the sockets, which ends a waiting read.
func (d *dgramPlayer) stop() {
	d.stopOnce.Do(func() {
		close(d.stopped)
		for _, s := range d.socks {
			_ = s.Close()
		}
	})
}

// run plays the events in order and closes done.
func (d *dgramPlayer) run(wg *sync.WaitGroup) {
	defer wg.Done()
	defer close(d.done)
	timeout := d.r.opts.timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	var client netip.AddrPort
	var since time.Duration
	buf := make([]byte, 64<<10)
	for n, i := range d.events {
		e := d.r.script.Events[i]
		since += e.Delay
		s := d.socks[e.Peer]
		if e.Side == Client {
			_ = s.SetReadDeadline(time.Now().Add(timeout))
			k, meta, err := s.ReadDatagram(buf)
			if err != nil {
				d.failf(i, n, "no datagram from the client at %v: %v", e.Peer, err)
				return
			}
			client = meta.Src
			if !bytes.Equal(buf[:k], e.Data) {
				d.failf(i, n, "the client's datagram to %v differs%s", e.Peer, diffDatagram(e.Data, buf[:k]))
				return
			}
			since = 0
			continue
		}
		if !client.IsValid() {
			d.failf(i, n, "%v", errNoClient)
			return
		}
		if d.r.opts.timing && !d.sleep(since) {
			return
		}
		since = 0
		if _, err := s.WriteDatagram(e.Data, client); err != nil {
			d.failf(i, n, "send from %v: %v", e.Peer, err)
			return
		}
	}
}

// sleep waits d unless the replay stops first.
func (d *dgramPlayer) sleep(dur time.Duration) bool {
	t := time.NewTimer(dur)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-d.stopped:
		return false
	}
}

// failf records and reports the failure of datagram n, script event i.
func (d *dgramPlayer) failf(i, n int, format string, args ...any) {
	err := fmt.Errorf("record: replay of udp %d (from %v): section %d (datagram %d): %s",
		d.sock.ID, d.sock.Local, i+1, n+1, fmt.Sprintf(format, args...))
	d.mu.Lock()
	d.err = err
	d.mu.Unlock()
	d.r.t.Errorf("%v", err)
}

// Err returns the exchange's failure, or nil.
func (d *dgramPlayer) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// diffDatagram shows both datagrams quoted and where they first differ.
func diffDatagram(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	return fmt.Sprintf(" at byte %d\n\texpected %q\n\t     got %q", i, want, got)
}
