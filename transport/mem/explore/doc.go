// Package explore searches the orders a network can deliver in, for the bug
// that only some of them show.
//
// A protocol test over the in-memory network (package mem) usually runs one
// schedule: the one the goroutines happen to produce. The explorer turns the
// choices the network makes into a Scenario — the order of deliveries that
// fall at the same virtual instant (mem.WithTieBreak), how stream writes are
// cut into segments, latency, jitter and the network's seed — runs the test
// body in that scenario under testing/synctest, and records a trace of every
// segment and datagram as it enters a link. The same scenario gives the same
// run: the same error, the same trace.
//
// # Fuzzing
//
// Decode turns any bytes into a scenario, so a fuzz target is one line and
// go test -fuzz drives the search and minimises the input it finds:
//
//	func FuzzProtocol(f *testing.F) {
//		explore.AddSeeds(f, 16)
//		f.Fuzz(func(t *testing.T, data []byte) { explore.Check(t, data, body) })
//	}
//
// The Body returns an error instead of failing a testing.T, so that a search
// can expect a failure. It must leave nothing that outlives the network: Run
// closes the network when the body returns (mem.Network.Close), which
// releases goroutines still waiting on it.
//
// # Bounded search and minimising
//
// Search is the deterministic, bounded form a normal test (and CI) runs: the
// first N generated scenarios, in order, stopping at the first failure.
// Minimize shrinks a failing scenario: the shortest inputs first, then field
// by field while it still fails. Scenario.Encode gives the short input to
// commit under testdata/fuzz/FuzzX/ (FormatCorpus writes the file,
// ReadCorpusFile reads it back), where go test replays it.
//
// A fuzz target whose bug is planted on purpose fails on its committed
// inputs; skip it in plain go test runs (see FuzzUpperPlantedBug in this
// package's tests) and let a Search test assert the bug is found.
package explore
