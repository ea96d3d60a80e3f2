package faketb_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/slotnet/slotnet/internal/faketb"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRecordsWithoutFailingTheTest(t *testing.T) {
	f := faketb.New(nil)
	assert.Equal(t, "TestFake", f.Name())
	assert.False(t, f.Failed())
	f.Errorf("step %d: %s", 3, "wrong bytes")
	f.Error("second", " failure")
	f.Log("a", "b")
	f.Logf("line %d", 2)
	assert.True(t, f.Failed())
	assert.Equal(t, []string{"step 3: wrong bytes", "second failure"}, f.Messages())
	assert.Equal(t, []string{"ab", "line 2"}, f.Logs())
	assert.False(t, f.Skipped())
}

func TestFatalAndSkipEndTheGoroutine(t *testing.T) {
	f := faketb.New(nil)
	after := false
	f.Run(func(tb testing.TB) {
		tb.Fatalf("fatal %s", "here")
		after = true
	})
	assert.False(t, after, "Fatalf returned")
	assert.Equal(t, "fatal here", f.One(t))

	g := faketb.New(nil)
	g.Run(func(tb testing.TB) {
		tb.Skipf("no %s", "Qt")
		after = true
	})
	assert.False(t, after, "Skipf returned")
	assert.True(t, g.Skipped())
	assert.Equal(t, "no Qt", g.SkipReason())
	assert.False(t, g.Failed())
}

func TestGoexitMakesErrorFatal(t *testing.T) {
	f := &faketb.TB{Goexit: true}
	after := false
	f.Run(func(tb testing.TB) {
		tb.Errorf("first")
		after = true
	})
	assert.False(t, after)
	assert.Equal(t, []string{"first"}, f.Messages())
}

func TestEndRunsCleanupsLastFirst(t *testing.T) {
	f := faketb.New(nil)
	var order []int
	f.Cleanup(func() { order = append(order, 1) })
	f.Cleanup(func() {
		order = append(order, 2)
		f.Cleanup(func() { order = append(order, 3) }) // registered while ending
	})
	f.End()
	assert.Equal(t, []int{2, 1, 3}, order)
	f.End()
	assert.Equal(t, []int{2, 1, 3}, order, "cleanups run once")
}

func TestOneFailsUnlessExactlyOne(t *testing.T) {
	outer := faketb.New(nil)
	inner := faketb.New(nil)
	outer.Run(func(tb testing.TB) { inner.One(tb) })
	require.Len(t, outer.Messages(), 1)
	assert.Contains(t, outer.Messages()[0], "got 0")

	inner.Errorf("a")
	inner.Errorf("b")
	outer = faketb.New(nil)
	outer.Run(func(tb testing.TB) { inner.One(tb) })
	assert.Contains(t, outer.One(t), `"a" "b"`)
}

func TestNameComesFromTheEmbeddedTB(t *testing.T) {
	assert.Equal(t, t.Name(), faketb.New(t).Name())
}
