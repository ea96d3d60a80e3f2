package transporttest

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestInterfaces checks Interfaces: a loopback interface that is up, the
// server's address on one of the server's interfaces, and the multicast
// interface (when System.Multicast is set) present and up.
func TestInterfaces(t *testing.T, env Env) {
	runChecks(t, env, "Interfaces", []check{
		{"Loopback", checkLoopbackInterface},
		{"OwnAddress", checkOwnAddress},
		{"MulticastInterface", checkMulticastInterface},
	})
}

func (c *C) interfaces(tr transport.Transport) []transport.Interface {
	c.T.Helper()
	ifs, err := tr.Interfaces()
	require.NoError(c.T, err, "Interfaces")
	require.NotEmpty(c.T, ifs, "Interfaces")
	return ifs
}

func checkLoopbackInterface(c *C) {
	ok := slices.ContainsFunc(c.interfaces(c.Sys.Server), func(i transport.Interface) bool {
		return i.Loopback && i.Up && i.Name != "" && i.Index > 0
	})
	assert.True(c.T, ok, "no named, indexed loopback interface that is up")
}

func checkOwnAddress(c *C) {
	ok := slices.ContainsFunc(c.interfaces(c.Sys.Server), func(i transport.Interface) bool {
		return slices.ContainsFunc(i.Prefixes, func(p netip.Prefix) bool { return p.Addr() == c.Sys.ServerAddr })
	})
	assert.True(c.T, ok, "no interface of the server holds %s", c.Sys.ServerAddr)
}

func checkMulticastInterface(c *C) {
	m := c.Sys.Multicast
	if m == nil || m.Interface == "" {
		c.Skip("System.Multicast names no interface")
	}
	i := slices.IndexFunc(c.interfaces(c.Sys.Server), func(i transport.Interface) bool { return i.Name == m.Interface })
	require.GreaterOrEqual(c.T, i, 0, "no interface named %q", m.Interface)
}
