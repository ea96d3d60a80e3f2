package memtest

import (
	"errors"
	"hash/fnv"
	"strings"
	"testing"

	"github.com/slotnet/slotnet/transport/mem"
)

// New returns a network for t that records where sockets are created and is
// closed and checked by t.Cleanup (see Close). opts follow the defaults, so
// mem.WithSeed overrides the seed taken from the test's name.
func New(t testing.TB, opts ...mem.Option) *mem.Network {
	t.Helper()
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	base := []mem.Option{mem.WithSeed(h.Sum64()), mem.WithCreationSites(true)}
	n := mem.New(append(base, opts...)...)
	t.Cleanup(func() {
		Close(t, n)
		if t.Failed() {
			t.Logf("memtest: network seed %d (replay with mem.WithSeed)", n.Seed())
		}
	})
	return n
}

// Close closes n and reports with t.Errorf every socket, listener, DNS
// server and pending timer left open on it, one error each, naming where it
// was created and the stack that created it. It reports nothing for a
// network that was already closed.
func Close(t testing.TB, n *mem.Network) {
	t.Helper()
	err := n.Close()
	var leaks *mem.LeakError
	if !errors.As(err, &leaks) {
		if err != nil {
			t.Errorf("memtest: %v", err)
		}
		return
	}
	for _, l := range leaks.Leaks {
		t.Errorf("memtest: %s%s", l, indent(l.Stack))
	}
}

// indent formats a creation stack under its leak.
func indent(stack string) string {
	if stack == "" {
		return ""
	}
	return "\n\t" + strings.ReplaceAll(strings.TrimRight(stack, "\n"), "\n", "\n\t")
}
