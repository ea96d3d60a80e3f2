package mem

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// WriteDatagramMeta: the hop limit is the TTL the receiver sees, for
// unicast and multicast; the interface index picks the multicast
// interface for that datagram only.
func TestWriteDatagramMeta(t *testing.T) {
	n := New(WithSeed(dgSeed))
	r := n.MustAddHost("r", IfaceConfig{Prefixes: dgPrefixes("10.1.0.1/24")}, IfaceConfig{Prefixes: dgPrefixes("10.2.0.1/24")})
	x := n.MustAddHost("x", IfaceConfig{Prefixes: dgPrefixes("10.1.0.2/24")})
	y := n.MustAddHost("y", IfaceConfig{Prefixes: dgPrefixes("10.2.0.2/24")})
	onX := bindDG(t, x, "0.0.0.0:7000", transport.BindOptions{})
	onY := bindDG(t, y, "0.0.0.0:7000", transport.BindOptions{})
	require.NoError(t, onX.JoinGroup(dgGroup, ""))
	require.NoError(t, onY.JoinGroup(dgGroup, ""))
	tx := bindDG(t, r, "0.0.0.0:0", transport.BindOptions{})

	nb, err := tx.WriteDatagramMeta([]byte("unicast"), dgAP("10.1.0.2:7000"), 9, 0)
	require.NoError(t, err)
	assert.Equal(t, 7, nb)
	p, meta := dgRecv(t, onX)
	assert.Equal(t, "unicast", p)
	assert.Equal(t, 9, meta.HopLimit)

	eth1 := r.ifaceByName("eth1")
	require.NotNil(t, eth1)
	_, err = tx.WriteDatagramMeta([]byte("via eth1"), dgAP("239.1.2.3:7000"), 5, eth1.Index)
	require.NoError(t, err)
	assert.Empty(t, dgDrain(t, onX))
	p, meta = dgRecv(t, onY)
	assert.Equal(t, "via eth1", p)
	assert.Equal(t, 5, meta.HopLimit)
	assert.Equal(t, netip.MustParseAddr("10.2.0.1"), meta.Src.Addr())

	dgSend(t, tx, "default again", "239.1.2.3:7000")
	p, meta = dgRecv(t, onX)
	assert.Equal(t, "default again", p, "the socket's own interface is unchanged")
	assert.Equal(t, DefaultMulticastTTL, meta.HopLimit)
	assert.Empty(t, dgDrain(t, onY))

	_, err = tx.WriteDatagramMeta([]byte("x"), dgAP("239.1.2.3:7000"), 0, 99)
	assert.ErrorIs(t, err, transport.SocketAddressNotAvailableError)
	_, err = tx.WriteDatagramMeta([]byte("x"), dgAP("10.1.0.2:7000"), 256, 0)
	assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError)
	require.NoError(t, tx.Close())
	_, err = tx.WriteDatagramMeta([]byte("x"), dgAP("10.1.0.2:7000"), 1, 0)
	assert.Error(t, err)
}
