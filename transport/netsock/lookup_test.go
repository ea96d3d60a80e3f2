package netsock_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

func TestOSLookupLiteralAndInterfaces(t *testing.T) {
	tr := newOS(t)
	addrs, err := tr.LookupHost(context.Background(), "127.0.0.1")
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{loop4}, addrs)
	ifs, err := tr.Interfaces()
	require.NoError(t, err)
	var lo *transport.Interface
	for i := range ifs {
		if ifs[i].Loopback {
			lo = &ifs[i]
		}
	}
	require.NotNil(t, lo)
	assert.True(t, lo.Up)
	assert.Contains(t, lo.Prefixes, netip.MustParsePrefix("127.0.0.1/8"))
}
