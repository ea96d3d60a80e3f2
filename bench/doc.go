// Package bench holds slotnet's benchmarks. Each slotnet figure is measured
// side by side with its practical limit or the library a user would pick
// instead (a plain loop over funcs, a buffered channel, a channel
// ping-pong, EventBus, net.Pipe, OS loopback sockets) in the same run, so
// the ratios hold on a noisy machine.
//
// Run them with
//
//	make bench            # go test -run '^$' -bench . -benchmem -count 6 ./bench/...
//
// and see docs/benchmarks.md for the figures, the ratios and the commands.
package bench
