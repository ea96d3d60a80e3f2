//go:build race

package tcp_test

// raceEnabled reports a -race build: the load tests scale down under it.
const raceEnabled = true
