package pcapng_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/pcapng"
)

// bulkSize is what the bulk transfer sends over the lossy link.
const bulkSize = 200_000

// traffic is what a scenario did, to compare with what tshark reads.
type traffic struct {
	cap         *pcapng.Capture
	retransmits int // lost stream segments (the tap's Retransmit)
	datagrams   int
}

// countTap counts the lost segments the capture will show twice.
type countTap struct {
	*pcapng.Capture
	mu          sync.Mutex
	retransmits int
	datagrams   int
}

func (t *countTap) Stream(ev mem.StreamEvent) {
	if ev.Retransmit > 0 {
		t.mu.Lock()
		t.retransmits++
		t.mu.Unlock()
	}
	t.Capture.Stream(ev)
}

func (t *countTap) Datagram(ev mem.DatagramEvent) {
	t.mu.Lock()
	t.datagrams++
	t.mu.Unlock()
	t.Capture.Datagram(ev)
}

func host(t *testing.T, n *mem.Network, name, addr string) *mem.Host {
	t.Helper()
	return n.MustAddHost(name, mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix(addr + "/24")}})
}

// scenario runs, in a synctest bubble, a request/response of the
// upper-case line protocol on a fault-free link, a bulk transfer of
// bulkSize bytes over a link with latency and loss, three UDP datagrams
// and a connection the server resets.
func scenario(t *testing.T) traffic {
	var tr traffic
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		tap := &countTap{Capture: pcapng.New()}
		n := mem.New(mem.WithSeed(3), mem.WithTap(tap))
		defer n.Close()
		a := host(t, n, "client", "10.0.0.1")
		b := host(t, n, "server", "10.0.0.2")
		c := host(t, n, "sink", "10.0.0.3")

		// Request/response.
		ln, err := b.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.ListenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			s, err := ln.AcceptStream(ctx)
			if err != nil {
				return
			}
			defer s.Close()
			line, _ := bufio.NewReader(s).ReadString('\n')
			s.Write([]byte(strings.ToUpper(line)))
		}()
		s, err := a.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:7"), transport.DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s.Write([]byte("hello\n"))
		if got, _ := io.ReadAll(s); string(got) != "HELLO\n" {
			t.Fatalf("answer %q, want HELLO", got)
		}
		s.Close()
		ln.Close()

		// Bulk transfer with loss: faults set once connected, so the
		// handshake is clean and every retransmission is a data segment's.
		ln, err = c.Listen(ctx, netip.MustParseAddrPort("10.0.0.3:9"), transport.ListenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan int, 1)
		go func() {
			s, err := ln.AcceptStream(ctx)
			if err != nil {
				got <- -1
				return
			}
			defer s.Close()
			n, _ := io.Copy(io.Discard, s)
			got <- int(n)
		}()
		s, err = a.Dial(ctx, netip.MustParseAddrPort("10.0.0.3:9"), transport.DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		lossy := mem.Faults{Latency: 10 * time.Millisecond, Loss: 0.05}
		n.Link(a, c).SetFaults(lossy)
		n.Link(c, a).SetFaults(mem.Faults{Latency: 10 * time.Millisecond})
		if _, err := s.Write(bytes.Repeat([]byte("x"), bulkSize)); err != nil {
			t.Fatal(err)
		}
		s.CloseWrite()
		if n := <-got; n != bulkSize {
			t.Fatalf("sink read %d bytes, want %d", n, bulkSize)
		}
		io.ReadAll(s)
		s.Close()
		ln.Close()

		// Datagrams.
		ua, err := a.BindDatagram(ctx, netip.MustParseAddrPort("10.0.0.1:5000"), transport.BindOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ub, err := b.BindDatagram(ctx, netip.MustParseAddrPort("10.0.0.2:40000"), transport.BindOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"one", "two", "three"} {
			if _, err := ua.WriteDatagram([]byte(m), ub.LocalAddrPort()); err != nil {
				t.Fatal(err)
			}
		}
		buf := make([]byte, 100)
		for range 3 {
			if _, _, err := ub.ReadDatagram(buf); err != nil {
				t.Fatal(err)
			}
		}
		ua.Close()
		ub.Close()

		// A reset: the server aborts the connection.
		ln, err = b.Listen(ctx, netip.MustParseAddrPort("10.0.0.2:8"), transport.ListenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			s, err := ln.AcceptStream(ctx)
			if err != nil {
				return
			}
			s.Abort()
		}()
		s, err = a.Dial(ctx, netip.MustParseAddrPort("10.0.0.2:8"), transport.DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(s); err == nil {
			t.Fatal("read after the server's reset: no error")
		}
		s.Close()
		ln.Close()
		synctest.Wait()

		tr = traffic{cap: tap.Capture, retransmits: tap.retransmits, datagrams: tap.datagrams}
	})
	if tr.retransmits == 0 {
		t.Fatal("the lossy link lost nothing: no retransmission to check")
	}
	return tr
}
