package explore

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport/mem"
)

// Body is the code under exploration: it adds hosts to n, runs the protocol
// and returns an error when a property it checks does not hold. It runs
// inside a testing/synctest bubble; goroutines it starts must end once n is
// closed (Run closes it when Body returns), which they do if they only wait
// on the network.
type Body func(n *mem.Network) error

// Result is one run of a Body under one scenario.
type Result struct {
	Scenario Scenario
	Err      error    // what the body returned; nil: the run passed
	Trace    []string // every segment and datagram that entered a link, in virtual time
}

// String reports the run: the scenario, the input that replays it, the
// error and the trace.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %v\ninput %q\n", r.Scenario, r.Scenario.Encode())
	if r.Err != nil {
		fmt.Fprintf(&b, "error: %v\n", r.Err)
	}
	b.WriteString("trace:\n")
	for _, l := range r.Trace {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// Run runs body once under s in a new synctest bubble and returns what it
// found; it fails t only if the bubble deadlocks. t must not be inside a
// bubble already. The same scenario and the same body give the same Result:
// same error, same trace. opts configure the network further (say
// mem.WithSlowStart); the scenario's seed, tie order and link faults, and
// the explorer's Tap, take precedence over them.
func Run(t *testing.T, s Scenario, body Body, opts ...mem.Option) Result {
	res := Result{Scenario: s}
	rec := &recorder{}
	synctest.Test(t, func(*testing.T) {
		rec.start = time.Now()
		all := append(append(opts[:len(opts):len(opts)], s.Options()...), mem.WithTap(rec))
		n := mem.New(all...)
		res.Err = body(n)
		_ = n.Close() // what the body left open must not hold its goroutines
	})
	res.Trace = rec.lines()
	return res
}

// Check is a fuzz target's body: it runs body under the scenario data
// decodes to and fails t with the Result (scenario, replayable input,
// error, trace) if body returns an error. opts are as for Run.
//
//	func FuzzProtocol(f *testing.F) {
//		explore.AddSeeds(f, 8)
//		f.Fuzz(func(t *testing.T, data []byte) { explore.Check(t, data, body) })
//	}
func Check(t *testing.T, data []byte, body Body, opts ...mem.Option) {
	t.Helper()
	if r := Run(t, Decode(data), body, opts...); r.Err != nil {
		t.Fatalf("explore: %v\n%v", r.Err, r)
	}
}

// Generate returns the i-th scenario of the deterministic sequence Search
// walks: scenario 0 is the simplest, the others are decoded from seeded
// random inputs whose length cycles from 1 to 20 bytes, so that as many
// leave the delays and the segmentation at their simplest (a tie order
// alone) as vary them all, as a fuzzer's short inputs do.
func Generate(i int) Scenario {
	if i == 0 {
		return Decode(nil)
	}
	r := rand.New(rand.NewPCG(0x736c6f746e6574, uint64(i)))
	b := make([]byte, 1+(i-1)%encodedLen)
	for j := range b {
		b[j] = byte(r.Uint32())
	}
	return Decode(b)
}

// AddSeeds adds the first n generated scenarios to a fuzz target's corpus.
func AddSeeds(f *testing.F, n int) {
	for i := range n {
		f.Add(Generate(i).Encode())
	}
}

// Search runs body over the first runs generated scenarios, in order, and
// returns the first run that failed and how many runs it took; found is false
// if every run passed. It is the bounded, deterministic form of fuzzing a
// normal test (and CI) can afford. opts are as for Run.
func Search(t *testing.T, runs int, body Body, opts ...mem.Option) (r Result, tried int, found bool) {
	for i := range runs {
		if r = Run(t, Generate(i), body, opts...); r.Err != nil {
			return r, i + 1, true
		}
	}
	return Result{}, runs, false
}

// Minimize shrinks a failing scenario to a simpler one that still fails,
// deterministically. It first tries the shortest inputs: the empty one and
// the 256 of one byte (a tie seed below 256 and nothing else). If none
// fails it goes field by field — latency, jitter, segmentation, short
// reads, then the network's seed and the tie seed — trying the simplest
// values first (no delay, whole writes, seeds below 256) and keeping the
// first under which body still fails. The result's Encode is the short
// input to commit. A scenario that does not fail is returned unchanged.
// opts are as for Run.
func Minimize(t *testing.T, s Scenario, body Body, opts ...mem.Option) Scenario {
	fails := func(c Scenario) bool { return Run(t, c, body, opts...).Err != nil }
	if !fails(s) {
		return s
	}
	if len(s.Encode()) > 1 {
		for b := range 257 {
			in := []byte{byte(b - 1)}[:min(b, 1)]
			if c := Decode(in); fails(c) {
				return c
			}
		}
	}
	// first keeps the first candidate (simplest first) that still fails.
	first := func(candidates func(yield func(Scenario) bool)) {
		for c := range candidates {
			if c == s {
				return
			}
			if fails(c) {
				s = c
				return
			}
		}
	}
	first(func(yield func(Scenario) bool) {
		for _, d := range delays {
			c := s
			c.Latency = d
			if d > s.Latency || !yield(c) {
				return
			}
		}
	})
	first(func(yield func(Scenario) bool) {
		for _, d := range delays {
			c := s
			c.Jitter = d
			if d > s.Jitter || !yield(c) {
				return
			}
		}
	})
	first(func(yield func(Scenario) bool) {
		c := s
		c.Segment = mem.Segmentation{}
		yield(c)
	})
	first(func(yield func(Scenario) bool) {
		c := s
		c.Segment.ShortReads = false
		yield(c)
	})
	first(func(yield func(Scenario) bool) {
		for seed := range uint64(256) {
			c := s
			c.Seed = seed
			if !yield(c) {
				return
			}
		}
	})
	first(func(yield func(Scenario) bool) {
		for tie := range uint64(256) {
			c := s
			c.Tie = tie
			if !yield(c) {
				return
			}
		}
	})
	return s
}
