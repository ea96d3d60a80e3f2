package pcapng_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tshark returns the path of tshark, skipping the test without it except
// under CI=true, where it fails: CI must prove Wireshark reads the file.
func tshark(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tshark not found (Debian package tshark); CI must install it")
		}
		t.Skip("tshark not found (install the Debian package tshark)")
	}
	return p
}

// run runs tshark on the file and returns its standard output; what it
// prints on stderr (a warning when run as root) is logged, not an error.
func run(t *testing.T, bin, file string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, append([]string{"-r", file}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %v: %v\n%s", args, err, errb.String())
	}
	if errb.Len() > 0 {
		t.Logf("tshark %v stderr: %s", args, strings.TrimSpace(errb.String()))
	}
	return out.String()
}

// conversations parses tshark's -z conv table into total frames by
// conversation ("a:p <-> b:q").
func conversations(out string) map[string]int {
	convs := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 10 || f[1] != "<->" {
			continue
		}
		// a <-> b  frames bytes unit  frames bytes unit  frames bytes unit ...
		frames, err := strconv.Atoi(f[9])
		if err != nil {
			continue
		}
		convs[f[0]+" <-> "+f[2]] = frames
	}
	return convs
}

// TestTshark has Wireshark's dissector read the export: the
// conversations, the payload bytes, the retransmissions, the checksums,
// and no malformed packet or warning other than the reset's.
func TestTshark(t *testing.T) {
	bin := tshark(t)
	tr := scenario(t)
	file := filepath.Join(t.TempDir(), "mem.pcapng")
	if err := tr.cap.WriteFile(file); err != nil {
		t.Fatal(err)
	}

	tcp := conversations(run(t, bin, file, "-q", "-z", "conv,tcp"))
	udp := conversations(run(t, bin, file, "-q", "-z", "conv,udp"))
	if len(tcp) != 3 || len(udp) != 1 {
		t.Fatalf("tshark sees TCP conversations %v and UDP %v, want 3 and 1", tcp, udp)
	}
	if got := udp["10.0.0.1:5000 <-> 10.0.0.2:40000"]; got != tr.datagrams {
		t.Errorf("UDP conversation has %d frames, want %d", got, tr.datagrams)
	}
	total := 0
	for _, n := range tcp {
		total += n
	}
	for _, n := range udp {
		total += n
	}
	if total != tr.cap.Len() {
		t.Errorf("conversations hold %d frames, the capture %d", total, tr.cap.Len())
	}

	// Payload by server port, retransmissions excepted.
	payload := map[string]int{}
	fields := run(t, bin, file, "-Y", "tcp.len > 0 && !tcp.analysis.retransmission", "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.len")
	for _, line := range strings.Split(strings.TrimSpace(fields), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("tshark fields line %q", line)
		}
		port := f[1]
		if p, _ := strconv.Atoi(port); p > 1000 && p != 40000 {
			port = f[0]
		}
		n, _ := strconv.Atoi(f[2])
		payload[port] += n
	}
	if payload["7"] != 12 || payload["9"] != bulkSize || payload["8"] != 0 {
		t.Errorf("tshark's payload by server port %v, want 7:12 9:%d", payload, bulkSize)
	}

	retrans := strings.Count(run(t, bin, file, "-Y", "tcp.analysis.retransmission"), "\n")
	if retrans != tr.retransmits {
		t.Errorf("tshark finds %d retransmissions, the network lost %d segments", retrans, tr.retransmits)
	}

	// Segments never overtake one another on a mem link and the receiver
	// acknowledges each arrival, so no acknowledgement repeats.
	if dups := strings.TrimSpace(run(t, bin, file, "-Y", "tcp.analysis.duplicate_ack")); dups != "" {
		t.Errorf("duplicate ACKs:\n%s", dups)
	}

	status := run(t, bin, file, "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
		"-T", "fields", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status")
	lines := strings.Split(strings.TrimSpace(status), "\n")
	if len(lines) != tr.cap.Len() {
		t.Fatalf("%d checksum lines, want %d", len(lines), tr.cap.Len())
	}
	for i, line := range lines {
		// Wireshark's checksum status: 1 is good.
		if f := strings.Fields(line); len(f) != 2 || f[0] != "1" || f[1] != "1" {
			t.Errorf("packet %d: checksum status %q, want good IP and TCP/UDP checksums", i+1, line)
		}
	}

	// Warnings allowed: the reset, and a receiver's window filling up
	// (the bulk transfer's receiver lags behind a burst of segments held
	// behind a retransmission, as on a real network).
	expected := "tcp.flags.reset == 1 || tcp.analysis.window_full || tcp.analysis.zero_window"
	if bad := strings.TrimSpace(run(t, bin, file, "-Y", "_ws.malformed || (_ws.expert.severity >= warning && !("+expected+"))")); bad != "" {
		t.Errorf("tshark finds malformed packets or warnings:\n%s", bad)
	}
	if resets := strings.Count(run(t, bin, file, "-Y", "tcp.flags.reset == 1"), "\n"); resets != 1 {
		t.Errorf("tshark finds %d resets, want 1", resets)
	}
}
