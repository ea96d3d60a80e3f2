package mem

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScheduleDrawsAsLink: a Schedule for seed S and the names from → to
// draws exactly what the Link from → to of a network WithSeed(S) draws, for
// every fault kind, however the kinds interleave.
func TestScheduleDrawsAsLink(t *testing.T) {
	for _, seed := range []uint64{1, 42, 1 << 40} {
		n := New(WithSeed(seed))
		a := n.MustAddHost("client", IfaceConfig{})
		b := n.MustAddHost("server", IfaceConfig{})
		l := n.Link(a, b)
		s := NewSchedule(seed, "client", "server")
		f := Faults{Latency: 3 * time.Millisecond, Jitter: 7 * time.Millisecond, Loss: 0.3,
			Segment: Segmentation{Mode: SegmentRandom, Size: 100}}
		l.SetFaults(f)
		l.mu.Lock()
		for i := range 500 {
			switch i % 3 {
			case 0:
				require.Equal(t, l.delayLocked(), s.Delay(f), "delay %d", i)
			case 1:
				require.Equal(t, l.chanceLocked(FaultLoss, f.Loss), s.Chance(FaultLoss, f.Loss), "loss %d", i)
			case 2:
				require.Equal(t, l.segmentSizeLocked(f.Segment, 1000-i), s.SegmentSize(f.Segment, 1000-i), "segment %d", i)
			}
		}
		l.mu.Unlock()
	}
}

// TestScheduleOtherDirection: the reverse direction and another seed draw
// other values, and kinds without a probability draw nothing.
func TestScheduleOtherDirection(t *testing.T) {
	f := Faults{Jitter: time.Second}
	up, down, other := NewSchedule(7, "a", "b"), NewSchedule(7, "b", "a"), NewSchedule(8, "a", "b")
	var same, sameSeed int
	for range 20 {
		d := up.Delay(f)
		if d == down.Delay(f) {
			same++
		}
		if d == other.Delay(f) {
			sameSeed++
		}
	}
	assert.Less(t, same, 3)
	assert.Less(t, sameSeed, 3)
	assert.False(t, up.Chance(FaultLoss, 0))
	assert.Equal(t, 5*time.Millisecond, up.Delay(Faults{Latency: 5 * time.Millisecond}))
	assert.Equal(t, 10, up.SegmentSize(Segmentation{Mode: SegmentFixed, Size: 10}, 25))
	assert.Equal(t, 1, up.SegmentSize(Segmentation{Mode: SegmentByte}, 25))
	assert.Equal(t, 25, up.SegmentSize(Segmentation{}, 25))
	assert.Empty(t, up.d.rngs[FaultLoss], "a zero probability draws nothing")
}
