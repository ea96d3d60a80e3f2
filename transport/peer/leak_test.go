package peer

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them. It
// prepares package net's resolver outside the synctest bubbles first (the
// DNS tests resolve inside bubbles).
func TestMain(m *testing.M) {
	PrepareResolver()
	goleak.VerifyTestMain(m)
}
