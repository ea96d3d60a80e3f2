package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const want = `A: state Default
A: unit C
A: state Valid
B: state Default
B: unit C
B: state Valid
A: reading 20.5
B: reading 20.5
-- B's link is cut
B: state Suspect
A: reading 21.0
A: reading 21.5
A: reading 22.0
-- B's link is back
B: Missed(3)
B: state Valid
A: reading 22.5
B: reading 22.5
`

func TestRunTrace(t *testing.T) {
	for range 3 {
		var buf bytes.Buffer
		require.NoError(t, run(&buf))
		assert.Equal(t, want, buf.String())
	}
}
