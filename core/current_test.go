package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCurrentLoop(t *testing.T) {
	assert.Nil(t, CurrentLoop(), "a plain goroutine processes no loop")

	a := startLoop(t, WithName("a"))
	b := startLoop(t, WithName("b"))
	var onA, onB *Loop
	require.NoError(t, a.Invoke(func() { onA = CurrentLoop() }))
	require.NoError(t, b.Invoke(func() { onB = CurrentLoop() }))
	assert.Same(t, a, onA)
	assert.Same(t, b, onB)

	// ProcessEvents on the calling goroutine makes it the loop's, for the
	// time of the call only.
	c := NewLoop(WithName("c"))
	defer c.Close()
	var onC *Loop
	require.NoError(t, c.Post(func() { onC = CurrentLoop() }))
	assert.Equal(t, 1, c.ProcessEvents())
	assert.Same(t, c, onC)
	assert.Nil(t, CurrentLoop())
}
