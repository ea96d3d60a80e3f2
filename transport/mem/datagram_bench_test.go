package mem

import (
	"fmt"
	"testing"
	"time"

	"github.com/slotnet/slotnet/transport"
)

// BenchmarkDatagram sends one datagram between two hosts and reads it,
// per iteration: the fault-free path delivers synchronously and, once the
// buffer pool is warm, allocates nothing.
func BenchmarkDatagram(b *testing.B) {
	for _, size := range []int{64, 1400} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			w := newDGWorld(b)
			rx := bindDG(b, w.b, "0.0.0.0:5000", transport.BindOptions{})
			tx := bindDG(b, w.a, "0.0.0.0:0", transport.BindOptions{})
			dst := dgAP("10.0.0.2:5000")
			msg, buf := make([]byte, size), make([]byte, 2048)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tx.WriteDatagram(msg, dst); err != nil {
					b.Fatal(err)
				}
				if _, _, err := rx.ReadDatagram(buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDatagramLatency measures the scheduled path (a link with
// latency): each datagram waits on the link's timer.
func BenchmarkDatagramLatency(b *testing.B) {
	w := newDGWorld(b)
	w.n.Link(w.a, w.b).SetFaults(Faults{Latency: time.Microsecond})
	rx := bindDG(b, w.b, "0.0.0.0:5000", transport.BindOptions{})
	tx := bindDG(b, w.a, "0.0.0.0:0", transport.BindOptions{})
	dst := dgAP("10.0.0.2:5000")
	msg, buf := make([]byte, 64), make([]byte, 2048)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tx.WriteDatagram(msg, dst); err != nil {
			b.Fatal(err)
		}
		if _, _, err := rx.ReadDatagram(buf); err != nil {
			b.Fatal(err)
		}
	}
}
