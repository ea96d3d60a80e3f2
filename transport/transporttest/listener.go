package transporttest

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// TestListener checks listeners: Accept returns Streams with the dialled
// addresses, Close unblocks a waiting Accept with net.ErrClosed and leaves
// accepted streams alone, AcceptStream honours its context, a closed port
// can be listened on again, and (with Env.Backlog) the backlog bounds
// connections not yet accepted.
func TestListener(t *testing.T, env Env) {
	runChecks(t, env, "Listener", []check{
		{"AcceptMany", checkAcceptMany},
		{"AcceptIsStream", checkAcceptIsStream},
		{"CloseUnblocksAccept", checkCloseUnblocksAccept},
		{"CloseKeepsAccepted", checkCloseKeepsAccepted},
		{"AcceptContext", checkAcceptContext},
		{"Relisten", checkRelisten},
		{"Backlog", checkBacklog},
	})
}

func checkAcceptMany(c *C) {
	ln := c.Listen(transport.ListenOptions{})
	const n = 5
	dialled := make(map[netip.AddrPort]bool)
	for range n {
		s, err := c.Dial(ln.AddrPort())
		require.NoError(c.T, err, "Dial")
		dialled[s.LocalAddrPort()] = true
	}
	require.Len(c.T, dialled, n, "distinct client ports")
	for range n {
		s := c.Accept(ln)
		assert.True(c.T, dialled[s.RemoteAddrPort()], "accepted %s, not one of the dialled streams", s.RemoteAddrPort())
		delete(dialled, s.RemoteAddrPort())
	}
}

func checkAcceptIsStream(c *C) {
	ln := c.Listen(transport.ListenOptions{})
	_, err := c.Dial(ln.AddrPort())
	require.NoError(c.T, err)
	conn, err := ln.Accept()
	require.NoError(c.T, err, "Accept")
	defer conn.Close()
	_, ok := conn.(transport.Stream)
	assert.True(c.T, ok, "Accept returned %T, want a transport.Stream", conn)
	assert.Equal(c.T, ln.AddrPort().String(), ln.Addr().String(), "Addr and AddrPort agree")
}

func checkCloseUnblocksAccept(c *C) {
	ln := c.Listen(transport.ListenOptions{})
	errs := make(chan error, 1)
	go func() {
		s, err := ln.AcceptStream(context.Background())
		if err == nil {
			_ = s.Close()
		}
		errs <- err
	}()
	c.settle()
	require.NoError(c.T, ln.Close(), "listener Close")
	var err error
	c.Within("AcceptStream blocked at Close", func() { err = <-errs }, nil)
	c.wantClosed(err, "AcceptStream blocked at Close")
	_, err = ln.AcceptStream(context.Background())
	c.wantClosed(err, "AcceptStream after Close")
}

func checkCloseKeepsAccepted(c *C) {
	ln := c.Listen(transport.ListenOptions{})
	client, err := c.Dial(ln.AddrPort())
	require.NoError(c.T, err)
	server := c.Accept(ln)
	require.NoError(c.T, ln.Close())
	_, err = client.Write([]byte("still here"))
	require.NoError(c.T, err, "Write after the listener closed")
	b := make([]byte, 10)
	c.Within("Read on a stream whose listener closed", func() { _, err = io.ReadFull(server, b) }, closeAll(client, server))
	assert.NoError(c.T, err)
	assert.Equal(c.T, "still here", string(b))
}

func checkAcceptContext(c *C) {
	ln := c.Listen(transport.ListenOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), c.Env.tick())
	defer cancel()
	var err error
	c.Within("AcceptStream with an expiring context", func() { _, err = ln.AcceptStream(ctx) }, closeAll(ln))
	if !errors.Is(err, context.DeadlineExceeded) && !isTimeout(err) {
		c.T.Errorf("AcceptStream at its context's deadline: %v (%s), want context.DeadlineExceeded or a timeout", err, Classify(err))
	}
	// The listener still works.
	_, err = c.Dial(ln.AddrPort())
	require.NoError(c.T, err, "Dial after a cancelled AcceptStream")
	c.Accept(ln)
}

func checkRelisten(c *C) {
	ln, err := c.Sys.Server.Listen(c.Context(), netip.AddrPortFrom(c.Sys.ServerAddr, 0), transport.ListenOptions{})
	require.NoError(c.T, err)
	addr := ln.AddrPort()
	require.NoError(c.T, ln.Close())
	ln2, err := c.Sys.Server.Listen(c.Context(), addr, transport.ListenOptions{})
	require.NoError(c.T, err, "Listen again on %s after Close", addr)
	require.NoError(c.T, ln2.Close())
}

// checkBacklog fills a backlog of 2 and requires that of several more
// dials at least one is not established while nothing is accepted; then
// accepting lets the queued streams through.
func checkBacklog(c *C) {
	if !c.Env.Backlog {
		c.Skip("Env.Backlog is false: the transport does not honour ListenOptions.Backlog")
	}
	ln := c.Listen(transport.ListenOptions{Backlog: 2})
	for range 2 {
		_, err := c.Dial(ln.AddrPort())
		require.NoError(c.T, err, "Dial within the backlog")
	}
	const extra = 6
	results := make(chan error, extra)
	for range extra {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 4*c.Env.tick())
			defer cancel()
			s, err := c.Sys.Client.Dial(ctx, ln.AddrPort(), transport.DialOptions{})
			if err == nil {
				_ = s.Close()
			}
			results <- err
		}()
	}
	failed := 0
	c.Within("dials beyond the backlog", func() {
		for range extra {
			if <-results != nil {
				failed++
			}
		}
	}, closeAll(ln))
	assert.NotZero(c.T, failed, "all %d dials beyond a backlog of 2 were established", extra)
	s := c.Accept(ln)
	assert.True(c.T, s.RemoteAddrPort().IsValid())
}
