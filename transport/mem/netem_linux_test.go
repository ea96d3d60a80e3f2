//go:build linux

package mem

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport"
)

// The netem comparison: a bulk download over a link of netemLatency each
// way and netemRate, timed over Linux TCP between two network namespaces
// joined by a veth pair shaped with tc netem, and over the in-memory
// network with the same latency, rate and slow start. docs/transport.md
// records the figures.
const (
	netemLatency = 20 * time.Millisecond
	netemRate    = 8 << 20 // bytes per second
	netemSize    = 4 << 20
	netemAddrA   = "10.199.0.1"
	netemAddrB   = "10.199.0.2"
	netemPort    = 5001
	netemRole    = "SLOTNET_NETEM_ROLE"
)

// TestNetemHelper is the child process of TestBulkTimingMatchesLinux: run
// inside a namespace, it serves or fetches the download.
func TestNetemHelper(t *testing.T) {
	switch os.Getenv(netemRole) {
	case "server":
		ln, err := net.Listen("tcp", net.JoinHostPort(netemAddrB, strconv.Itoa(netemPort)))
		require.NoError(t, err)
		defer ln.Close()
		fmt.Println("ready")
		c, err := ln.Accept()
		require.NoError(t, err)
		_, err = c.Write(make([]byte, netemSize))
		require.NoError(t, err)
		require.NoError(t, c.Close())
	case "client":
		start := time.Now()
		c, err := net.Dial("tcp", net.JoinHostPort(netemAddrB, strconv.Itoa(netemPort)))
		require.NoError(t, err)
		n, err := io.Copy(io.Discard, c)
		require.NoError(t, err)
		require.EqualValues(t, netemSize, n)
		fmt.Printf("elapsed %d\n", time.Since(start))
		c.Close()
	default:
		t.Skip("the child of TestBulkTimingMatchesLinux")
	}
}

// TestBulkTimingMatchesLinux requires the in-memory bulk time to be within
// 10 % of Linux TCP's over netem with the same latency and rate.
func TestBulkTimingMatchesLinux(t *testing.T) {
	model := memBulkTime(t)
	t.Logf("bulk %d MiB over %v each way at %d MiB/s: mem %v", netemSize>>20, netemLatency, netemRate>>20, model)
	linux := linuxBulkTime(t)
	t.Logf("bulk %d MiB over %v each way at %d MiB/s: Linux+netem %v, mem %v (%+.1f%%)",
		netemSize>>20, netemLatency, netemRate>>20, linux, model, 100*(float64(model)/float64(linux)-1))
	assert.InEpsilon(t, float64(linux), float64(model), 0.10, "mem %v vs Linux %v", model, linux)
}

// memBulkTime is the download's virtual time on the in-memory network.
func memBulkTime(t *testing.T) time.Duration {
	var took time.Duration
	synctest.Test(t, func(t *testing.T) {
		n, a, b := twoHosts(t, WithSlowStart(true))
		n.Link(b, a).SetFaults(Faults{Latency: netemLatency, Bandwidth: netemRate})
		n.Link(a, b).SetFaults(Faults{Latency: netemLatency, Bandwidth: netemRate})
		ln := listen(t, b, transport.ListenOptions{})
		go func() {
			s, err := ln.AcceptStream(context.Background())
			if !assert.NoError(t, err) {
				return
			}
			defer s.Close()
			// Linux grows its buffers to these sizes (tcp_wmem, tcp_rmem).
			assert.NoError(t, s.SetOption(transport.SendBufferSizeSocketOption, 4<<20))
			_, err = s.Write(make([]byte, netemSize))
			assert.NoError(t, err)
		}()
		start := time.Now()
		c, err := a.Dial(context.Background(), netip.AddrPortFrom(addrB, 80), transport.DialOptions{RecvBuf: 6 << 20})
		require.NoError(t, err)
		defer c.Close()
		got, err := io.Copy(io.Discard, c)
		require.NoError(t, err)
		require.EqualValues(t, netemSize, got)
		took = time.Since(start)
	})
	return took
}

// linuxBulkTime times the download between two namespaces the test makes
// and removes; it skips unless root with ip and tc at hand.
func linuxBulkTime(t *testing.T) time.Duration {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make network namespaces and run tc netem")
	}
	for _, tool := range []string{"ip", "tc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (iproute2): %v", tool, err)
		}
	}
	id := os.Getpid() % 100000
	nsA, nsB := fmt.Sprintf("slotnet-a%d", id), fmt.Sprintf("slotnet-b%d", id)
	vethA, vethB := fmt.Sprintf("sna%d", id), fmt.Sprintf("snb%d", id)
	run := func(args ...string) {
		t.Helper()
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		require.NoError(t, err, "%s: %s", strings.Join(args, " "), out)
	}
	for _, ns := range []string{nsA, nsB} {
		run("ip", "netns", "add", ns)
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() }) // takes its veth end along
	}
	run("ip", "-n", nsA, "link", "add", vethA, "type", "veth", "peer", "name", vethB, "netns", nsB)
	rate := strconv.Itoa(netemRate*8) + "bit"
	delay := strconv.Itoa(int(netemLatency/time.Millisecond)) + "ms"
	for _, side := range []struct{ ns, dev, addr string }{{nsA, vethA, netemAddrA}, {nsB, vethB, netemAddrB}} {
		run("ip", "-n", side.ns, "addr", "add", side.addr+"/24", "dev", side.dev)
		run("ip", "-n", side.ns, "link", "set", side.dev, "up")
		run("ip", "-n", side.ns, "link", "set", "lo", "up")
		out, err := exec.Command("ip", "netns", "exec", side.ns, "tc", "qdisc", "add", "dev", side.dev, "root", "netem",
			"delay", delay, "rate", rate, "limit", "10000").CombinedOutput()
		if strings.Contains(string(out), "kind is unknown") {
			t.Skipf("the kernel has no netem qdisc (sch_netem): %s", out)
		}
		require.NoError(t, err, "tc netem: %s", out)
	}
	child := func(ns, role string) *exec.Cmd {
		cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestNetemHelper$", "-test.v")
		cmd.Env = append(os.Environ(), netemRole+"="+role)
		cmd.Stderr = os.Stderr
		return cmd
	}
	server := child(nsB, "server")
	out, err := server.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, server.Start())
	t.Cleanup(func() { _ = server.Process.Kill(); _ = server.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() && lines.Text() != "ready" {
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	got, err := child(nsA, "client").Output()
	require.NoError(t, err, "client: %s", got)
	for _, line := range strings.Split(string(got), "\n") {
		if ns, ok := strings.CutPrefix(line, "elapsed "); ok {
			d, err := strconv.ParseInt(ns, 10, 64)
			require.NoError(t, err)
			return time.Duration(d)
		}
	}
	t.Fatalf("client printed no time: %s", got)
	return 0
}
