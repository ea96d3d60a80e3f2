package transport_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// recordingListen is a Transport that records the options Listen got.
type recordingListen struct {
	transport.Transport
	got []transport.ListenOptions
}

func (r *recordingListen) Listen(ctx context.Context, local netip.AddrPort, opts transport.ListenOptions) (transport.Listener, error) {
	r.got = append(r.got, opts)
	return r.Transport.Listen(ctx, local, opts)
}

func TestListenPassesOptions(t *testing.T) {
	rec := &recordingListen{Transport: newOS(t)}
	l, err := transport.Listen(rec, "tcp4", "127.0.0.1:0", transport.ListenOptions{Backlog: 7, Mode: transport.ReuseAddressHint})
	require.NoError(t, err)
	l.Close()
	l, err = transport.Listen(rec, "tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	l.Close()
	assert.Equal(t, []transport.ListenOptions{{Backlog: 7, Mode: transport.ReuseAddressHint}, {}}, rec.got)

	_, err = transport.Listen(rec, "tcp4", "127.0.0.1:0", transport.ListenOptions{}, transport.ListenOptions{})
	assert.ErrorIs(t, err, transport.UnsupportedSocketOperationError, "two ListenOptions")
	assert.Len(t, rec.got, 2, "nothing listened")
}

func TestGRPCDialerDialsTCP(t *testing.T) {
	tr := newOS(t)
	l, err := transport.Listen(tr, "tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	c, err := transport.GRPCDialer(tr)(context.Background(), l.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	s, err := l.Accept()
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, c.LocalAddr().String(), s.RemoteAddr().String())
	assert.Equal(t, "tcp", c.LocalAddr().Network())
}
