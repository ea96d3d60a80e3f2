package core

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

// Exit ends Run after the current pass: an event queued before the pass
// began still runs, one posted during it waits for the next Run — what
// Exit's doc says (issue 6, item 10: the doc used to promise that every
// queued event is left).
func TestExitFinishesTheCurrentPass(t *testing.T) {
	l := NewLoop(WithLogger(zap.NewNop()))
	defer l.Close()
	var log []string
	require.NoError(t, l.Post(func() {
		log = append(log, "a")
		l.Exit(3)
		require.NoError(t, l.Post(func() { log = append(log, "posted during the pass") }))
	}))
	require.NoError(t, l.Post(func() { log = append(log, "b") }))
	code, err := l.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 3, code)
	assert.Equal(t, []string{"a", "b"}, log)
	assert.Equal(t, 1, l.ProcessEvents(), "the later event waited")
	assert.Equal(t, []string{"a", "b", "posted during the pass"}, log)
}
