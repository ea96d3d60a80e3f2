package pcapng_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/pcapng"
)

// v6 runs the line protocol over IPv6 on a link with latency (so the
// acknowledgement clock runs), a refused dial, and a datagram.
func v6(t *testing.T) *pcapng.Capture {
	cap := pcapng.New()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		n := mem.New(mem.WithSeed(5), mem.WithTap(cap))
		defer n.Close()
		a := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("fd00::1/64")}})
		b := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("fd00::2/64")}})
		n.Link(a, b).SetFaults(mem.Faults{Latency: 5 * time.Millisecond})
		n.Link(b, a).SetFaults(mem.Faults{Latency: 5 * time.Millisecond})
		ln, err := b.Listen(ctx, netip.MustParseAddrPort("[fd00::2]:7"), transport.ListenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			s, err := ln.AcceptStream(ctx)
			if err != nil {
				return
			}
			defer s.Close()
			line, _ := bufio.NewReader(s).ReadString('\n')
			s.Write([]byte(strings.ToUpper(line)))
		}()
		s, err := a.Dial(ctx, netip.MustParseAddrPort("[fd00::2]:7"), transport.DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s.Write([]byte("hello\n"))
		if got, _ := io.ReadAll(s); string(got) != "HELLO\n" {
			t.Fatalf("answer %q", got)
		}
		s.Close()
		if _, err := a.Dial(ctx, netip.MustParseAddrPort("[fd00::2]:8"), transport.DialOptions{}); err == nil {
			t.Fatal("dial to a closed port succeeded")
		}
		u, err := a.BindDatagram(ctx, netip.MustParseAddrPort("[fd00::1]:5000"), transport.BindOptions{})
		if err != nil {
			t.Fatal(err)
		}
		u.WriteDatagram([]byte("hello\n"), netip.MustParseAddrPort("[fd00::2]:40000"))
		u.Close()
		synctest.Wait()
	})
	return cap
}

// TestTsharkIPv6 checks IPv6 headers, checksums over the IPv6 pseudo
// header, the acknowledgement clock's ACKs and a refused connection's reset.
func TestTsharkIPv6(t *testing.T) {
	bin := tshark(t)
	cap := v6(t)
	file := filepath.Join(t.TempDir(), "v6.pcapng")
	if err := cap.WriteFile(file); err != nil {
		t.Fatal(err)
	}
	tcp := conversations(run(t, bin, file, "-q", "-z", "conv,tcp"))
	if len(tcp) != 2 {
		t.Fatalf("TCP conversations %v, want the line protocol's and the refused one", tcp)
	}
	status := run(t, bin, file, "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-T", "fields", "-e", "ipv6.src", "-e", "tcp.checksum.status", "-e", "udp.checksum.status")
	lines := strings.Split(strings.TrimSpace(status), "\n")
	if len(lines) != cap.Len() {
		t.Fatalf("%d lines, want %d", len(lines), cap.Len())
	}
	for i, line := range lines {
		if f := strings.Fields(line); len(f) != 2 || !strings.HasPrefix(f[0], "fd00::") || f[1] != "1" {
			t.Errorf("packet %d: %q, want an IPv6 source and a good checksum", i+1, line)
		}
	}
	// Pure ACKs from the acknowledgement clock: the server acknowledges
	// the client's line, the client the server's.
	if acks := strings.Count(run(t, bin, file, "-Y", "tcp.len == 0 && tcp.flags == 0x010 && frame.number > 3"), "\n"); acks < 2 {
		t.Errorf("%d pure ACKs after the handshake, want the clock's (at least 2)", acks)
	}
	if rst := strings.TrimSpace(run(t, bin, file, "-Y", "tcp.flags.reset == 1 && tcp.srcport == 8")); !strings.Contains(rst, "RST, ACK") {
		t.Errorf("no RST, ACK answering the dial to the closed port: %q", rst)
	}
	if bad := strings.TrimSpace(run(t, bin, file, "-Y", "_ws.malformed || (_ws.expert.severity >= warning && !(tcp.flags.reset == 1))")); bad != "" {
		t.Errorf("malformed packets or warnings:\n%s", bad)
	}
}

type failWriter struct{ after int }

func (w *failWriter) Write(b []byte) (int, error) {
	if len(b) > w.after {
		return w.after, errors.New("disk full")
	}
	w.after -= len(b)
	return len(b), nil
}

// TestWriteErrors: a failing writer or an impossible file name gives an
// error, not a panic or a silent short file.
func TestWriteErrors(t *testing.T) {
	cap := v6(t)
	if _, err := cap.WriteTo(&failWriter{after: 100}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteTo a failing writer: %v, want its error", err)
	}
	if err := cap.WriteFile(filepath.Join(t.TempDir(), "missing", "x.pcapng")); err == nil {
		t.Error("WriteFile into a missing directory: no error")
	}
	if n, err := pcapng.New().WriteTo(io.Discard); err != nil || n != 28+32 {
		t.Errorf("an empty capture writes %d bytes (%v), want the two header blocks (60)", n, err)
	}
}
