package netnstest

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Pair is two namespaces joined by a veth pair: the end SenderIf
// (fd00::1/64 and 10.x.77.1/24) in SenderNS and ReceiverIf (fd00::2/64 and
// 10.x.77.2/24) in ReceiverNS, both up with lo up, IPv6 addresses without
// duplicate address detection. Nothing is added to the namespace the test
// runs in, and the pair has no route out of its namespaces.
type Pair struct {
	SenderNS, ReceiverNS string
	SenderIf, ReceiverIf string
}

// New creates a Pair with names unique to this run and removes it in
// t.Cleanup, also when the test fails. It skips t, saying why, when not
// root or when ip(8) is missing, and when the kernel has no IPv6.
func New(t testing.TB) *Pair {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("network namespaces need root: this test runs as root (CI)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("ip(8) from iproute2 is missing: .ci/run installs it")
	}
	if _, err := os.Stat("/proc/sys/net/ipv6"); err != nil {
		t.Skip("the kernel has no IPv6")
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	id := hex.EncodeToString(rnd[:3])
	p := &Pair{
		SenderNS: "slotnet-xs-" + id, ReceiverNS: "slotnet-xr-" + id,
		SenderIf: "sxs" + id, ReceiverIf: "sxr" + id, // at most 15 bytes
	}
	t.Cleanup(func() {
		// Deleting a namespace destroys the veth end inside it and so the
		// pair; the link deletion covers a failure before the move.
		_ = exec.Command("ip", "netns", "del", p.SenderNS).Run()
		_ = exec.Command("ip", "netns", "del", p.ReceiverNS).Run()
		_ = exec.Command("ip", "link", "del", p.SenderIf).Run()
	})
	ip(t, "netns", "add", p.SenderNS)
	ip(t, "netns", "add", p.ReceiverNS)
	ip(t, "link", "add", p.SenderIf, "type", "veth", "peer", "name", p.ReceiverIf)
	ip(t, "link", "set", p.SenderIf, "netns", p.SenderNS)
	ip(t, "link", "set", p.ReceiverIf, "netns", p.ReceiverNS)
	for i, e := range []struct{ ns, ifc string }{{p.SenderNS, p.SenderIf}, {p.ReceiverNS, p.ReceiverIf}} {
		n := string(rune('1' + i))
		ip(t, "-n", e.ns, "link", "set", "lo", "up")
		ip(t, "-n", e.ns, "addr", "add", "10."+strconv.Itoa(int(rnd[3]))+".77."+n+"/24", "dev", e.ifc)
		ip(t, "-n", e.ns, "-6", "addr", "add", "fd00::"+n+"/64", "dev", e.ifc, "nodad")
		ip(t, "-n", e.ns, "link", "set", e.ifc, "up")
	}
	return p
}

// ip runs ip(8) and fails the test with its output if it fails.
func ip(t testing.TB, args ...string) {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
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
