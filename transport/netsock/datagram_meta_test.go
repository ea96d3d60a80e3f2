package netsock_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// WriteDatagramMeta gives one datagram its own hop limit and outgoing
// interface; the receiver sees the hop limit.
func TestOSWriteDatagramMeta(t *testing.T) {
	for _, addr := range []netip.Addr{loop4, loop6} {
		t.Run(addr.String(), func(t *testing.T) {
			tr := newOS(t)
			a, b := bindLoop(t, tr, addr), bindLoop(t, tr, addr)
			mw, ok := a.(transport.DatagramMetaWriter)
			require.True(t, ok)
			lo := loopbackIndex(t, tr)
			n, err := mw.WriteDatagramMeta([]byte("hop"), b.LocalAddrPort(), 7, lo)
			require.NoError(t, err)
			assert.Equal(t, 3, n)
			buf := make([]byte, 16)
			_, meta, err := b.ReadDatagram(buf)
			require.NoError(t, err)
			assert.Equal(t, 7, meta.HopLimit)
			assert.Equal(t, lo, meta.IfIndex)

			_, err = mw.WriteDatagramMeta([]byte("x"), b.LocalAddrPort(), 256, 0)
			assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
			_, err = mw.WriteDatagramMeta([]byte("x"), netip.AddrPortFrom(addr, 0), 1, 0)
			assert.ErrorIs(t, err, transport.NetworkError)
		})
	}
	t.Run("dual-stack to IPv4", func(t *testing.T) {
		tr := newOS(t)
		a := bind(t, tr, netip.AddrPort{}, transport.BindOptions{}) // dual-stack
		b := bindLoop(t, tr, loop4)
		_, err := a.(transport.DatagramMetaWriter).WriteDatagramMeta([]byte("v4"), b.LocalAddrPort(), 9, loopbackIndex(t, tr))
		require.NoError(t, err)
		buf := make([]byte, 16)
		_, meta, err := b.ReadDatagram(buf)
		require.NoError(t, err)
		assert.Equal(t, 9, meta.HopLimit)
	})
}

func loopbackIndex(t *testing.T, tr transport.Transport) int {
	ifs, err := tr.Interfaces()
	require.NoError(t, err)
	for _, ifc := range ifs {
		if ifc.Loopback {
			return ifc.Index
		}
	}
	t.Skip("no loopback interface")
	return 0
}
