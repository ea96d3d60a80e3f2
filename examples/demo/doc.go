// Command demo is slotnet's demo, what `make demo` runs: Qt's fortune
// server and client, then the chat of the seeds' PyQt5 chapter (a server
// and two clients, alice and bob), all in one process, each on loops of its
// own. It prints the signal trace of each side, one line per emission:
// which loop ran the slot (in brackets), which object emitted which signal,
// with its argument, in the order they came:
//
//	[fortune-server-loop] server.NewConnection
//	[fortune-client-loop] client.StateChanged ConnectedState
//
// By default everything runs over the in-memory network (transport/mem),
// so the trace is the same on every run; -transport os runs it over the
// operating system's loopback, where ports and some orders may differ.
//
//	go run ./examples/demo [-transport mem|os]
package main
