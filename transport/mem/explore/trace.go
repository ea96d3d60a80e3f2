package explore

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// recorder is the Tap that writes a run's trace: one line per segment or
// datagram entering a link, stamped with the virtual time since the run
// began.
type recorder struct {
	start time.Time
	mu    sync.Mutex // guards events
	ev    []event
}

type event struct {
	at   time.Duration
	line string
}

// Stream records a stream segment.
func (r *recorder) Stream(ev mem.StreamEvent) {
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{{ev.SYN, "SYN"}, {ev.FIN, "FIN"}, {ev.RST, "RST"}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	if len(ev.Data) > 0 {
		flags = append(flags, fmt.Sprintf("%q", ev.Data))
	}
	r.add(ev.Time, "tcp", ev.Src, ev.Dst, strings.Join(flags, " "))
}

// Datagram records a datagram and its fate.
func (r *recorder) Datagram(ev mem.DatagramEvent) {
	s := fmt.Sprintf("%q", ev.Data)
	if ev.Dropped {
		s += " dropped"
	}
	if ev.Duplicated {
		s += " duplicated"
	}
	r.add(ev.Time, "udp", ev.Src, ev.Dst, s)
}

func (r *recorder) add(at time.Time, proto string, src, dst netip.AddrPort, what string) {
	line := fmt.Sprintf("%s %s>%s %s", proto, src, dst, what)
	r.mu.Lock()
	r.ev = append(r.ev, event{at: at.Sub(r.start), line: line})
	r.mu.Unlock()
}

// lines returns the trace sorted by time, then text: events of one instant
// may reach the tap in any order (mem's Tap), so the sort makes the trace a
// function of the run alone.
func (r *recorder) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	slices.SortFunc(r.ev, func(a, b event) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return strings.Compare(a.line, b.line)
	})
	out := make([]string, len(r.ev))
	for i, e := range r.ev {
		out[i] = fmt.Sprintf("%12v %s", e.at, e.line)
	}
	return out
}
