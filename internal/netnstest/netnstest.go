package netnstest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Pair is two namespaces joined by a veth pair: the end SenderIf
// (SenderAddr/24, and fd00::1/64 when IPv6) in SenderNS and ReceiverIf
// (ReceiverAddr/24, and fd00::2/64) in ReceiverNS, both up with lo up,
// IPv6 addresses without duplicate address detection, and in SenderNS a
// default route through SenderIf (so a datagram to the limited broadcast
// address has a way out). Nothing is added to the namespace the test runs
// in, and the pair has no route out of its namespaces.
type Pair struct {
	SenderNS, ReceiverNS     string
	SenderIf, ReceiverIf     string
	SenderAddr, ReceiverAddr netip.Addr
	Broadcast                netip.Addr // the subnet's broadcast address
	IPv6                     bool       // fd00::1 and fd00::2 are set
}

// New creates a Pair with names and a subnet unique to this run and
// removes it in t.Cleanup, also when the test fails. It skips t, saying
// why, when not root or when ip(8) is missing. A kernel without IPv6 gives
// a Pair with IPv6 false; RequireIPv6 skips then.
func New(t testing.TB) *Pair {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("network namespaces need root: this test runs as root (CI)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("ip(8) from iproute2 is missing: .ci/run installs it")
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	id := hex.EncodeToString(rnd[:3])
	p := &Pair{
		SenderNS: "slotnet-s-" + id, ReceiverNS: "slotnet-r-" + id,
		SenderIf: "sns" + id, ReceiverIf: "snr" + id, // at most 15 bytes
		SenderAddr:   netip.AddrFrom4([4]byte{10, rnd[3], 77, 1}),
		ReceiverAddr: netip.AddrFrom4([4]byte{10, rnd[3], 77, 2}),
		Broadcast:    netip.AddrFrom4([4]byte{10, rnd[3], 77, 255}),
	}
	t.Cleanup(func() {
		// Deleting a namespace destroys the veth end inside it and so the
		// pair; the link deletion covers a failure before the move.
		_ = exec.Command("ip", "netns", "del", p.SenderNS).Run()
		_ = exec.Command("ip", "netns", "del", p.ReceiverNS).Run()
		_ = exec.Command("ip", "link", "del", p.SenderIf).Run()
	})
	IP(t, "netns", "add", p.SenderNS)
	IP(t, "netns", "add", p.ReceiverNS)
	IP(t, "link", "add", p.SenderIf, "type", "veth", "peer", "name", p.ReceiverIf)
	IP(t, "link", "set", p.SenderIf, "netns", p.SenderNS)
	IP(t, "link", "set", p.ReceiverIf, "netns", p.ReceiverNS)
	_, err := os.Stat("/proc/sys/net/ipv6")
	p.IPv6 = err == nil
	for _, e := range []struct {
		ns, ifc string
		addr    netip.Addr
		addr6   string
	}{{p.SenderNS, p.SenderIf, p.SenderAddr, "fd00::1/64"}, {p.ReceiverNS, p.ReceiverIf, p.ReceiverAddr, "fd00::2/64"}} {
		IP(t, "-n", e.ns, "link", "set", "lo", "up")
		IP(t, "-n", e.ns, "addr", "add", netip.PrefixFrom(e.addr, 24).String(), "brd", p.Broadcast.String(), "dev", e.ifc)
		if p.IPv6 && exec.Command("ip", "-n", e.ns, "-6", "addr", "add", e.addr6, "dev", e.ifc, "nodad").Run() != nil {
			p.IPv6 = false
		}
		IP(t, "-n", e.ns, "link", "set", e.ifc, "up")
	}
	IP(t, "-n", p.SenderNS, "route", "add", "default", "dev", p.SenderIf)
	return p
}

// RequireIPv6 skips t when the pair has no IPv6 addresses.
func (p *Pair) RequireIPv6(t testing.TB) {
	t.Helper()
	if !p.IPv6 {
		t.Skip("the kernel has no IPv6 (or refused fd00::/64 on the veth pair)")
	}
}

// IP runs ip(8) and fails the test with its output if it fails.
func IP(t testing.TB, args ...string) {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// Do runs f on a goroutine whose OS thread is switched into namespace ns
// for f's duration, and fails t if f or the switch fails. Sockets created
// there stay in that namespace, and interface names resolve there. The
// thread is switched back before it is unlocked; if that fails it is
// never unlocked, so the runtime discards it with the goroutine.
func Do(t testing.TB, ns string, f func() error) {
	t.Helper()
	if err := do(ns, f); err != nil {
		t.Fatalf("in namespace %s: %v", ns, err)
	}
}

func do(ns string, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer orig.Close()
		target, err := os.Open("/var/run/netns/" + ns)
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("setns: %w", err)
			return
		}
		ferr := f()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("restoring the namespace: %w", err) // the thread stays locked and dies
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// Exec returns the argv that runs argv inside namespace ns.
func Exec(ns string, argv ...string) []string {
	return append([]string{"ip", "netns", "exec", ns}, argv...)
}

// Build builds the Go command in directory dir (e.g. "." for the test's
// own package) into a temporary directory and returns the binary's path.
func Build(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cmd")
	out, err := exec.Command("go", "build", "-o", bin, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("go build %s: %v\n%s", dir, err, out)
	}
	return bin
}
