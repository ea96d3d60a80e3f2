// Command discover is the seeds' "which host has the most free disk
// space" over broadcast (package examples/discovery): it starts responders
// in this process, broadcasts the request, prints every answer and the
// winner.
//
// Over the in-memory network (the default) it simulates -hosts hosts
// (10.0.0.1 …), each with its own made-up free space, and broadcasts to
// 255.255.255.255; the output is the same on every run:
//
//	go run ./examples/discover -hosts 12
//
// Over loopback (-transport os) it starts -hosts responders bound to
// 0.0.0.0 and one port with ShareAddress, each reporting the real free
// space of -path (statfs) or its figure from -fake, and broadcasts to
// 127.255.255.255 from 127.0.0.1, so nothing leaves by another interface:
//
//	go run ./examples/discover -transport os -hosts 3 -fake 3G,9G,5G
package main
