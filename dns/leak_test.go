package dns

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them.
func TestMain(m *testing.M) {
	netResolverOutsideBubble()
	// Package net's resolver keeps a lookup whose caller gave up running
	// in its own singleflight goroutines until its own per-attempt timeout
	// (5 s): the abort and timeout tests leave those behind by design of
	// package net, not of dns. Only they are ignored.
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("net.(*Resolver).lookupIPAddr.func1"),
		goleak.IgnoreTopFunction("net.(*Resolver).lookupIPAddr.func2"),
		goleak.IgnoreAnyFunction("net.(*Resolver).tryOneName"),
	)
}
