package transporttest

import (
	"context"
	"fmt"
	"net/netip"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// check is one named conformance check.
type check struct {
	name string
	body func(c *C)
}

// C is one running check: its *testing.T (inside the env's bubble), the
// environment and the freshly built system. Scenarios of the differential
// mode receive it too, so they can use the same helpers.
type C struct {
	T   *testing.T
	Env Env
	Sys *System

	skipped *string    // the reason Skip gave, reported again outside the bubble
	real    *realTimer // real time inside a bubble; nil outside one
}

// runChecks runs each check as a subtest of t, each in its own bubble
// with its own System. section names the suite function for Env.Skip.
func runChecks(t *testing.T, env Env, section string, checks []check) {
	t.Helper()
	require.NotNil(t, env.Setup, "transporttest: Env.Setup is nil")
	for _, ch := range checks {
		t.Run(ch.name, func(t *testing.T) {
			if reason, ok := env.skipReason(section + "/" + ch.name); ok {
				t.Skip(reason)
			}
			inEnv(t, env, ch.body)
		})
	}
}

// inEnv runs body on a fresh System inside env's bubble. A check skipped
// inside a bubble is skipped again outside it: synctest.Test reports a
// skipped bubble as passed.
func inEnv(t *testing.T, env Env, body func(c *C)) {
	var skipped string
	var rt *realTimer
	run := func(t *testing.T) {
		sys := env.Setup(t)
		require.NotNil(t, sys, "transporttest: Env.Setup returned nil")
		body(&C{T: t, Env: env, Sys: sys, skipped: &skipped, real: rt})
	}
	if env.Bubble == nil {
		run(t)
		return
	}
	rt = newRealTimer()
	defer rt.stop()
	watchdog := time.AfterFunc(env.watchdog(), func() {
		panic(fmt.Sprintf("transporttest: %s: still running after %v of real time in its bubble: "+
			"a goroutine is blocked on something other than a channel, a timer or a sync.Cond "+
			"(a mutex held while waiting?), which freezes the bubble's clock", t.Name(), env.watchdog()))
	})
	defer watchdog.Stop()
	env.Bubble(t, run)
	if skipped != "" && !t.Failed() {
		t.Skip(skipped)
	}
}

// Skip skips the check with reason; under a bubble the enclosing subtest
// reports the skip too.
func (c *C) Skip(reason string) {
	c.T.Helper()
	if c.skipped != nil {
		*c.skipped = reason
	}
	c.T.Skip(reason)
}

// Context returns a context that ends after the env's patience, or when
// the check ends.
func (c *C) Context() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), c.Env.patience())
	c.T.Cleanup(cancel)
	return ctx
}

// Listen opens a stream listener on the server's address (ephemeral port)
// and closes it when the check ends.
func (c *C) Listen(opts transport.ListenOptions) transport.Listener {
	c.T.Helper()
	ln, err := c.Sys.Server.Listen(c.Context(), netip.AddrPortFrom(c.Sys.ServerAddr, 0), opts)
	require.NoError(c.T, err, "Listen on %s", c.Sys.ServerAddr)
	c.T.Cleanup(func() { _ = ln.Close() })
	return ln
}

// Dial dials addr from the client; the stream closes when the check ends.
func (c *C) Dial(addr netip.AddrPort) (transport.Stream, error) {
	s, err := c.Sys.Client.Dial(c.Context(), addr, transport.DialOptions{})
	if err == nil {
		c.T.Cleanup(func() { _ = s.Close() })
	}
	return s, err
}

// Accept accepts one stream; it closes when the check ends.
func (c *C) Accept(ln transport.Listener) transport.Stream {
	c.T.Helper()
	s, err := ln.AcceptStream(c.Context())
	require.NoError(c.T, err, "AcceptStream")
	c.T.Cleanup(func() { _ = s.Close() })
	return s
}

// Pair returns a connected stream pair: client dialled, server accepted.
func (c *C) Pair() (client, server transport.Stream) {
	c.T.Helper()
	ln := c.Listen(transport.ListenOptions{})
	client, err := c.Dial(ln.AddrPort())
	require.NoError(c.T, err, "Dial %s", ln.AddrPort())
	return client, c.Accept(ln)
}

// Bind binds a datagram socket on tr at addr; it closes when the check ends.
func (c *C) Bind(tr transport.Transport, addr netip.AddrPort, opts transport.BindOptions) transport.Datagram {
	c.T.Helper()
	d, err := tr.BindDatagram(c.Context(), addr, opts)
	require.NoError(c.T, err, "BindDatagram %s", addr)
	c.T.Cleanup(func() { _ = d.Close() })
	return d
}

// Within runs op and waits for it up to the env's patience. If op is still
// blocked then, Within reports "what" as stuck, calls rescue (which must
// unblock op, e.g. by closing the stream) and waits for op to return.
func (c *C) Within(what string, op func(), rescue func()) bool {
	c.T.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		op()
	}()
	timer := time.NewTimer(c.Env.patience())
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
	}
	c.T.Errorf("%s: still blocked after %v", what, c.Env.patience())
	if rescue != nil {
		rescue()
	}
	<-done
	return false
}

// Progress is Within for operations that must complete without time
// passing (a buffered Write, a call that only takes locks). Under a bubble
// it waits on a real-time timer instead of the bubble's clock: a goroutine
// stuck on a mutex is not durably blocked, so the bubble's clock would
// never reach a virtual timeout.
func (c *C) Progress(what string, op func(), rescue func()) bool {
	c.T.Helper()
	if c.real == nil {
		return c.Within(what, op, rescue)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		op()
	}()
	select {
	case <-done:
		return true
	case <-c.real.start(progressBudget):
	}
	c.T.Errorf("%s: made no progress in %v of real time (is an operation holding a lock while it waits?)", what, progressBudget)
	if rescue != nil {
		rescue()
	}
	<-done
	return false
}

// progressBudget is the real time Progress allows under a bubble.
const progressBudget = 2 * time.Second

// ReadAll reads s to its end (or first error) within the env's patience;
// if s is stuck it reports so and calls rescue.
func (c *C) ReadAll(s transport.Stream, what string, rescue func()) (data []byte, err error) {
	c.T.Helper()
	buf := make([]byte, 4096)
	c.Within(what, func() {
		for {
			var n int
			n, err = s.Read(buf)
			data = append(data, buf[:n]...)
			if err != nil {
				return
			}
		}
	}, rescue)
	return data, err
}

// settle gives started goroutines the chance to reach their blocking
// point: rounds of runtime.Gosched under a bubble (no time passes), a
// fifth of a Tick of real time otherwise.
func (c *C) settle() {
	if c.Env.virtual() {
		for range 200 {
			runtime.Gosched()
		}
		return
	}
	time.Sleep(c.Env.tick() / 5)
}

// waitBlocked waits until the goroutines the check started have reached
// their blocking point. Under a bubble it is synctest.Wait, which returns
// exactly when every goroutine of the bubble is durably blocked, so the
// check sees the same interleaving on every run; a goroutine stuck on a
// mutex never is, and then the env's Watchdog ends the check. Without a
// bubble it is settle's real-time pause.
func (c *C) waitBlocked() {
	if c.Env.virtual() {
		synctest.Wait()
		return
	}
	c.settle()
}

// closeAll closes every stream, ignoring errors: the rescue of a stuck check.
func closeAll(ss ...interface{ Close() error }) func() {
	return func() {
		for _, s := range ss {
			_ = s.Close()
		}
	}
}
