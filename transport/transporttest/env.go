package transporttest

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// Env describes a transport under test: how to build a fresh System for
// each check, where each check runs (a synctest bubble or not), and what
// the transport can do. The zero values of the optional fields are sensible.
type Env struct {
	// Name labels the environment in differential reports ("os", "mem").
	Name string

	// Setup builds a fresh System for one check. It runs inside Bubble, so a
	// virtual-time transport is created inside the check's bubble. It
	// registers the release of what it creates with t.Cleanup.
	Setup func(t testing.TB) *System

	// Bubble runs one check's body. Pass synctest.Test (or a function that
	// calls it: the suite calls synctest.Wait inside) for a transport that
	// keeps time only through package time (virtual time: timeouts take no
	// real time, and the suite never waits for a goroutine blocked on a
	// mutex, which would freeze the bubble's clock). nil runs the body
	// directly on the check's goroutine (real time: OS sockets).
	Bubble func(t *testing.T, body func(t *testing.T))

	// Skip names checks the transport cannot pass by design, with the
	// reason, e.g. {"Multicast": "no multicast on this loopback"}. A key
	// is a check's path below the suite function ("Listener/Backlog") or a
	// section ("Multicast"); the check is skipped with the reason.
	Skip map[string]string

	// Backlog says Listen honours ListenOptions.Backlog: connections
	// beyond it are not established until some are accepted. Without it
	// the Listener/Backlog check is skipped.
	Backlog bool

	// Tick is the unit of the timing checks: a deadline Tick ahead must not
	// fire early, a write stalls for a few Ticks before the suite calls the
	// transport's buffers full. Default 50ms (virtual under a bubble).
	Tick time.Duration

	// Patience is how long a check waits for an operation that must
	// complete before it reports the operation stuck and closes the
	// streams to unblock it. Default 5s (virtual under a bubble).
	Patience time.Duration

	// Watchdog bounds, in real time, one check in a bubble. A goroutine
	// blocked on a mutex freezes the bubble's clock, so no virtual timeout
	// can end such a check; past Watchdog the suite panics with the
	// check's name instead of hanging until go test's -timeout. Default 60s.
	Watchdog time.Duration

	// MaxBuffered bounds the bytes a stream may accept while its peer reads
	// nothing (the BackPressure check). Default 64 MiB.
	MaxBuffered int
}

// System is what one check runs on: two transports that reach each other
// (two hosts of an in-memory network, or the same OS transport twice for
// loopback), their addresses, and the optional broadcast, multicast and
// resolver setups. A nil optional setup skips the checks that need it.
// The datagram checks expect the path between client and server to keep
// datagrams in order and lose none, as loopback does.
type System struct {
	// Client dials and sends; Server listens and receives.
	Client, Server transport.Transport
	// ClientAddr is an address the client may bind; ServerAddr is the
	// server's address as the client reaches it.
	ClientAddr, ServerAddr netip.Addr
	// NotLocal is an address neither transport owns, for the
	// address-not-available checks. Default 192.0.2.1 (TEST-NET-1).
	NotLocal netip.Addr

	Broadcast *Broadcast
	Multicast *Multicast
	Resolver  *Resolver
}

// Broadcast describes a broadcast domain that includes the client and the
// server, scoped so tests never leave the machine (127.255.255.255 on a
// Linux loopback, the subnet broadcast of an in-memory network).
type Broadcast struct {
	Addr netip.Addr // where the client sends
	Bind netip.Addr // where the server's receiver binds (e.g. 0.0.0.0)
}

// Multicast describes a group both sides can use.
type Multicast struct {
	Group     netip.Addr // e.g. 239.255.0.1
	Interface string     // the interface both sides join on and send from
	Bind      netip.Addr // where the receiver binds (usually unspecified)
}

// Resolver describes what the client's LookupHost and LookupAddr must answer.
type Resolver struct {
	// Names maps names to addresses LookupHost must include.
	Names map[string][]netip.Addr
	// Missing is a name that must fail with HostNotFoundError ("" skips).
	Missing string
	// Reverse maps addresses to a name LookupAddr must include (optional).
	Reverse map[netip.Addr]string
}

func (e Env) tick() time.Duration {
	if e.Tick > 0 {
		return e.Tick
	}
	return 50 * time.Millisecond
}

func (e Env) patience() time.Duration {
	if e.Patience > 0 {
		return e.Patience
	}
	return 5 * time.Second
}

func (e Env) watchdog() time.Duration {
	if e.Watchdog > 0 {
		return e.Watchdog
	}
	return time.Minute
}

func (e Env) maxBuffered() int {
	if e.MaxBuffered > 0 {
		return e.MaxBuffered
	}
	return 64 << 20
}

func (e Env) virtual() bool { return e.Bubble != nil }

// skipReason returns why the check at path ("Section/Check") is skipped.
func (e Env) skipReason(path string) (string, bool) {
	for p := path; p != ""; {
		if r, ok := e.Skip[p]; ok {
			return r, true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "", false
}

func (s *System) notLocal() netip.Addr {
	if s.NotLocal.IsValid() {
		return s.NotLocal
	}
	return netip.MustParseAddr("192.0.2.1")
}
