package bench

import (
	"testing"

	"github.com/slotnet/slotnet/signal"
)

// The payload shapes of a direct emission with one slot (issue 6 item 9),
// each beside its limit, a loop over a []func(T) calling the same slot.
// The value changes each iteration, as an emitted value does. The loops are
// written out per shape on purpose: a generic harness would compile them as
// shape-stenciled code with a dictionary, which is not what user code runs.

// payload64 is a 64-byte struct of eight words: a plain func call passes
// it in registers, a generic method call (receiver and dictionary take two
// of the nine) on the stack.
type payload64 struct {
	a, b, c, d, e, f, g, h int64
}

// shaper is the interface of the interface shape.
type shaper interface{ size() int }

func (p *payload64) size() int { return int(p.a) }

// sinkInt keeps the slots' work observable.
var sinkInt int64

func connect1[T any](b *testing.B, s *signal.Signal[T], fn func(T)) {
	b.Helper()
	if _, err := s.Connect(fn, signal.WithKind(signal.Direct)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
}

func BenchmarkPayload(b *testing.B) {
	intSlot := func(v int) { sinkInt += int64(v) }
	strSlot := func(v string) { sinkInt += int64(len(v)) }
	structSlot := func(v payload64) { sinkInt += v.a + v.b + v.c + v.d + v.e + v.f + v.g + v.h }
	ptrSlot := func(v *payload64) { sinkInt += v.a }
	ifaceSlot := func(v shaper) { sinkInt += int64(v.size()) }
	strs := [2]string{"ready", "read"}
	ptrs := [2]*payload64{{a: 1}, {a: 2}}
	ifaces := [2]shaper{ptrs[0], ptrs[1]}

	b.Run("shape=int/limit=funcslice", func(b *testing.B) {
		fns := []func(int){intSlot}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			for _, f := range fns {
				f(i)
			}
		}
	})
	b.Run("shape=int/slotnet", func(b *testing.B) {
		var s signal.Signal[int]
		connect1(b, &s, intSlot)
		for i := 0; b.Loop(); i++ {
			s.Emit(i)
		}
	})
	b.Run("shape=string/limit=funcslice", func(b *testing.B) {
		fns := []func(string){strSlot}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			for _, f := range fns {
				f(strs[i&1])
			}
		}
	})
	b.Run("shape=string/slotnet", func(b *testing.B) {
		var s signal.Signal[string]
		connect1(b, &s, strSlot)
		for i := 0; b.Loop(); i++ {
			s.Emit(strs[i&1])
		}
	})
	b.Run("shape=struct64/limit=funcslice", func(b *testing.B) {
		fns := []func(payload64){structSlot}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			v := payload64{a: int64(i), h: 1}
			for _, f := range fns {
				f(v)
			}
		}
	})
	b.Run("shape=struct64/slotnet", func(b *testing.B) {
		var s signal.Signal[payload64]
		connect1(b, &s, structSlot)
		for i := 0; b.Loop(); i++ {
			s.Emit(payload64{a: int64(i), h: 1})
		}
	})
	b.Run("shape=pointer/limit=funcslice", func(b *testing.B) {
		fns := []func(*payload64){ptrSlot}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			for _, f := range fns {
				f(ptrs[i&1])
			}
		}
	})
	b.Run("shape=pointer/slotnet", func(b *testing.B) {
		var s signal.Signal[*payload64]
		connect1(b, &s, ptrSlot)
		for i := 0; b.Loop(); i++ {
			s.Emit(ptrs[i&1])
		}
	})
	b.Run("shape=interface/limit=funcslice", func(b *testing.B) {
		fns := []func(shaper){ifaceSlot}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			for _, f := range fns {
				f(ifaces[i&1])
			}
		}
	})
	b.Run("shape=interface/slotnet", func(b *testing.B) {
		var s signal.Signal[shaper]
		connect1(b, &s, ifaceSlot)
		for i := 0; b.Loop(); i++ {
			s.Emit(ifaces[i&1])
		}
	})
}
