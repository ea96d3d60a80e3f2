package netsock_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
)

func TestWithLoggerLogsAtDebug(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	tr := netsock.New(netsock.WithLogger(zap.New(core)), netsock.WithLogger(nil), netsock.WithResolver(nil))
	l, err := tr.Listen(context.Background(), netip.AddrPortFrom(loop4, 0), transport.ListenOptions{})
	require.NoError(t, err)
	defer l.Close()
	entries := logs.FilterMessage("listening").All()
	require.Len(t, entries, 1)
	assert.Equal(t, "os", entries[0].LoggerName)
	assert.Equal(t, l.AddrPort().String(), entries[0].ContextMap()["local"])
}

func TestZeroOSWorks(t *testing.T) {
	var tr netsock.Transport
	l, err := tr.Listen(context.Background(), netip.AddrPortFrom(loop4, 0), transport.ListenOptions{})
	require.NoError(t, err)
	defer l.Close()
	addrs, err := tr.LookupHost(context.Background(), "::ffff:127.0.0.1")
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{loop4}, addrs, "v4-mapped addresses are unmapped")
}

func TestOSDialOptions(t *testing.T) {
	tr := newOS(t)
	l := listen(t, tr, loop4)
	c, err := tr.Dial(context.Background(), l.AddrPort(), transport.DialOptions{KeepAlive: -1, RecvBuf: 1 << 16})
	require.NoError(t, err)
	defer c.Close()
	s, err := l.AcceptStream(context.Background())
	require.NoError(t, err)
	defer s.Close()
	v, err := c.Option(transport.KeepAliveOption)
	require.NoError(t, err)
	assert.Equal(t, 0, v)
	v, err = c.Option(transport.LowDelayOption)
	require.NoError(t, err)
	assert.Equal(t, 0, v, "Nagle stays on unless NoDelay is asked for, as in Qt")
	v, err = c.Option(transport.ReceiveBufferSizeSocketOption)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, v, 1<<16)
}

func TestOSDatagramEmptyBuffer(t *testing.T) {
	tr := newOS(t)
	a, b := bindLoop(t, tr, loop4), bindLoop(t, tr, loop4)
	_, err := a.WriteDatagram([]byte("dropped"), b.LocalAddrPort())
	require.NoError(t, err)
	n, meta, err := b.ReadDatagram(nil)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.True(t, meta.Truncated)
}
