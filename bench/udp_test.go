package bench

import (
	"context"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/netsock"
	"github.com/slotnet/slotnet/udp"
)

// udpPayload is the datagram size of the UDP benchmarks (issue 10).
const udpPayload = 512

var loopback4 = netip.MustParseAddr("127.0.0.1")

// BenchmarkUDPReceive: b.N datagrams of 512 bytes sent as fast as
// possible over loopback by one plain sendto loop, received by a
// udp.Socket on a core.Loop reading in its ReadyRead slot, and, as the
// baseline in the same run, by a raw net.UDPConn ReadFrom loop. Reports
// the received rate (dgrams/s) and the loss (loss-%). Run with a fixed
// count, e.g. -benchtime 200000x.
func BenchmarkUDPReceive(b *testing.B) {
	b.Run("raw", func(b *testing.B) { benchReceive(b, rawReceiver) })
	b.Run("udpsocket", func(b *testing.B) { benchReceive(b, socketReceiver) })
}

// receiver binds a receiving socket on 127.0.0.1, counts what it reads
// into got, and returns its port and a stop function.
type receiver func(b *testing.B, got *atomic.Int64) (port int, stop func())

func rawReceiver(b *testing.B, got *atomic.Int64) (int, func()) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: loopback4.AsSlice()})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			if _, _, err := c.ReadFrom(buf); err != nil {
				return
			}
			got.Add(1)
		}
	}()
	return c.LocalAddr().(*net.UDPAddr).Port, func() { c.Close(); <-done }
}

func socketReceiver(b *testing.B, got *atomic.Int64) (int, func()) {
	l := core.NewLoop(core.WithName("udp-bench"))
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
	var s *udp.Socket
	var err error
	if ierr := l.Invoke(func() {
		s, err = udp.NewSocket(socket.WithLoop(l), socket.WithTransport(netsock.New()))
		if err != nil {
			return
		}
		_, _ = s.ReadyRead.Connect(func() {
			for s.HasPendingDatagrams() {
				if _, _, _, err := s.ReadDatagram(udpPayload); err != nil {
					return
				}
				got.Add(1)
			}
		})
		err = s.Bind(loopback4, 0, transport.DefaultForPlatform)
	}); ierr != nil || err != nil {
		b.Fatal(ierr, err)
	}
	port := s.LocalPort()
	return port, func() { _ = l.Invoke(s.Destroy); _ = l.Close() }
}

func benchReceive(b *testing.B, recv receiver) {
	var got atomic.Int64
	port, stop := recv(b, &got)
	defer stop()
	tx, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: loopback4.AsSlice(), Port: port})
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Close()
	payload := make([]byte, udpPayload)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		_, _ = tx.Write(payload) // loss is measured, not an error
	}
	end := quiet(&got, start)
	b.StopTimer()
	n := got.Load()
	b.ReportMetric(float64(n)/end.Sub(start).Seconds(), "dgrams/s")
	b.ReportMetric(100*float64(int64(b.N)-n)/float64(b.N), "loss-%")
}

// quiet waits until the count has not grown for 20 ms and returns when
// it last grew (polled every millisecond): the end of the reception.
func quiet(got *atomic.Int64, start time.Time) time.Time {
	last, lastAt := got.Load(), time.Now()
	for time.Since(lastAt) < 20*time.Millisecond {
		time.Sleep(time.Millisecond)
		if n := got.Load(); n != last {
			last, lastAt = n, time.Now()
		}
	}
	if lastAt.Before(start) {
		return start.Add(time.Nanosecond)
	}
	return lastAt
}

// BenchmarkUDPSend: the send rate of 512-byte datagrams over loopback,
// batched (netsock's WriteDatagrams: sendmmsg, 64 per call) against one
// system call per datagram (netsock's WriteDatagram, and udp.Socket's
// WriteDatagram through the engine). The receiver never reads; the
// system drops what does not fit, which costs the sender nothing.
func BenchmarkUDPSend(b *testing.B) {
	b.Run("batched", func(b *testing.B) {
		tx, dst := sendPair(b)
		msgs := make([]transport.DatagramMessage, netsock.MaxBatch)
		payload := make([]byte, udpPayload)
		for i := range msgs {
			msgs[i] = transport.DatagramMessage{Buf: payload, Meta: transport.DatagramMeta{Dst: dst}}
		}
		batcher := tx.(transport.DatagramBatcher)
		b.ResetTimer()
		for sent := 0; sent < b.N; {
			n, err := batcher.WriteDatagrams(msgs[:min(len(msgs), b.N-sent)])
			if err != nil {
				b.Fatal(err)
			}
			sent += n
		}
		reportRate(b)
	})
	b.Run("single", func(b *testing.B) {
		tx, dst := sendPair(b)
		payload := make([]byte, udpPayload)
		b.ResetTimer()
		for range b.N {
			if _, err := tx.WriteDatagram(payload, dst); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
	b.Run("udpsocket", func(b *testing.B) {
		_, dst := sendPair(b)
		s, err := udp.NewSocket(socket.WithTransport(netsock.New()))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Destroy()
		payload := make([]byte, udpPayload)
		b.ResetTimer()
		for range b.N {
			if _, err := s.WriteDatagram(payload, dst.Addr(), int(dst.Port())); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
}

// sendPair binds a sender and a receiver that never reads on loopback.
func sendPair(b *testing.B) (transport.Datagram, netip.AddrPort) {
	o := netsock.New()
	ctx := context.Background()
	rx, err := o.BindDatagram(ctx, netip.AddrPortFrom(loopback4, 0), transport.BindOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = rx.Close() })
	tx, err := o.BindDatagram(ctx, netip.AddrPortFrom(loopback4, 0), transport.BindOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = tx.Close() })
	return tx, rx.LocalAddrPort()
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "dgrams/s")
}
