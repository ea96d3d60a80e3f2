package transport_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

var loop4 = netip.MustParseAddr("127.0.0.1")

// newOS returns the OS transport logging to t: the adapters are tested
// over it here and over the in-memory network in adapt_mem_test.go.
func newOS(t *testing.T) *netsock.Transport {
	return netsock.New(netsock.WithLogger(zaptest.NewLogger(t)))
}

// bindLoop binds a datagram socket on an ephemeral port of addr and
// closes it at cleanup.
func bindLoop(t *testing.T, tr transport.Transport, addr netip.Addr) transport.Datagram {
	t.Helper()
	d, err := tr.BindDatagram(context.Background(), netip.AddrPortFrom(addr, 0), transport.BindOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	return d
}
