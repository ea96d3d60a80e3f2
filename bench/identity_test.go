package bench

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/slotnet/slotnet/core"
)

// Loop identity: how much "am I on this loop?" (Loop.IsCurrent) and a
// cross-goroutine Loop.Invoke cost, at a shallow stack and 500 frames deep.
// The baseline for Invoke is what a caller would write by hand: Post a
// function that closes a channel, and wait on the channel.

// atDepth calls fn from n frames below the caller.
//
//go:noinline
func atDepth(n int, fn func()) {
	if n <= 1 {
		fn()
		return
	}
	atDepth(n-1, fn)
}

func startedLoop(b *testing.B) *core.Loop {
	l := core.NewLoop(core.WithName("identity"))
	if err := l.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = l.Close() })
	return l
}

var sinkBool bool

func BenchmarkIsCurrent(b *testing.B) {
	for _, depth := range []int{1, 500} {
		b.Run(depthName("foreign", depth), func(b *testing.B) {
			l := startedLoop(b)
			atDepth(depth, func() {
				for b.Loop() {
					sinkBool = l.IsCurrent()
				}
			})
		})
		b.Run(depthName("onLoop", depth), func(b *testing.B) {
			l := startedLoop(b)
			if err := l.Invoke(func() {
				atDepth(depth, func() {
					for b.Loop() {
						sinkBool = l.IsCurrent()
					}
				})
			}); err != nil {
				b.Fatal(err)
			}
		})
	}
}

func BenchmarkInvoke(b *testing.B) {
	for _, depth := range []int{1, 500} {
		b.Run(depthName("impl=postWait/foreign", depth), func(b *testing.B) {
			l := startedLoop(b)
			atDepth(depth, func() {
				for b.Loop() {
					done := make(chan struct{})
					if err := l.Post(func() { close(done) }); err != nil {
						b.Fatal(err)
					}
					<-done
				}
			})
		})
		b.Run(depthName("impl=slotnet/foreign", depth), func(b *testing.B) {
			l := startedLoop(b)
			atDepth(depth, func() {
				for b.Loop() {
					if err := l.Invoke(func() {}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
		b.Run(depthName("impl=slotnet/onLoop", depth), func(b *testing.B) {
			l := startedLoop(b)
			if err := l.Invoke(func() {
				atDepth(depth, func() {
					for b.Loop() {
						if err := l.Invoke(func() {}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}); err != nil {
				b.Fatal(err)
			}
		})
	}
}

func depthName(prefix string, depth int) string {
	if depth == 1 {
		return prefix + "/depth=1"
	}
	return prefix + "/depth=500"
}

// stackGoid is how slotnet read a goroutine id before: parse the header of
// runtime.Stack ("goroutine 42 [running]:"). runtime.Stack walks the whole
// stack, so its cost grows with depth. Kept here as the baseline that
// BenchmarkIsCurrent is measured against.
func stackGoid() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	s := strings.TrimPrefix(string(buf[:n]), "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	id, _ := strconv.ParseInt(s, 10, 64)
	return id
}

var sinkID int64

// BenchmarkStackGoid is the old goroutine-id read, for the same-run ratio.
func BenchmarkStackGoid(b *testing.B) {
	for _, depth := range []int{1, 500} {
		b.Run(depthName("impl=runtimeStack", depth), func(b *testing.B) {
			atDepth(depth, func() {
				for b.Loop() {
					sinkID = stackGoid()
				}
			})
		})
	}
}
