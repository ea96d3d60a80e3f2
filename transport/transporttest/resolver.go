package transporttest

import (
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestResolver checks the client's name lookup against System.Resolver:
// names resolve to (at least) the listed addresses, the missing name fails
// with HostNotFoundError, and reverse lookups find the listed names.
func TestResolver(t *testing.T, env Env) {
	runChecks(t, env, "Resolver", []check{
		{"LookupHost", checkLookupHost},
		{"NotFound", checkNotFound},
		{"LookupAddr", checkLookupAddr},
	})
}

func (c *C) resolver() *Resolver {
	if c.Sys.Resolver == nil {
		c.Skip("System.Resolver is nil: no resolver setup to check")
	}
	return c.Sys.Resolver
}

func checkLookupHost(c *C) {
	r := c.resolver()
	if len(r.Names) == 0 {
		c.Skip("Resolver.Names is empty")
	}
	for _, name := range sortedKeys(r.Names) {
		addrs, err := c.Sys.Client.LookupHost(c.Context(), name)
		if !assert.NoError(c.T, err, "LookupHost(%q)", name) {
			continue
		}
		for _, want := range r.Names[name] {
			assert.Contains(c.T, addrs, want, "LookupHost(%q)", name)
		}
	}
}

func checkNotFound(c *C) {
	r := c.resolver()
	if r.Missing == "" {
		c.Skip("Resolver.Missing is empty")
	}
	addrs, err := c.Sys.Client.LookupHost(c.Context(), r.Missing)
	assert.Empty(c.T, addrs, "LookupHost(%q)", r.Missing)
	c.wantCode(err, transport.HostNotFoundError, "LookupHost of a missing name")
}

func checkLookupAddr(c *C) {
	r := c.resolver()
	if len(r.Reverse) == 0 {
		c.Skip("Resolver.Reverse is empty")
	}
	addrs := make([]netip.Addr, 0, len(r.Reverse))
	for a := range r.Reverse {
		addrs = append(addrs, a)
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	for _, a := range addrs {
		names, err := c.Sys.Client.LookupAddr(c.Context(), a)
		require.NoError(c.T, err, "LookupAddr(%s)", a)
		want := strings.TrimSuffix(r.Reverse[a], ".")
		found := slices.ContainsFunc(names, func(n string) bool { return strings.TrimSuffix(n, ".") == want })
		assert.True(c.T, found, "LookupAddr(%s) = %q, want %q among them", a, names, want)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
