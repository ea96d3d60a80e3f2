// Command remotechat is the seeds' chat across three processes through a
// NATS server, on package remote: a room (a source, which also runs the
// NATS server on a loopback port) and users (replicas). A user's lines are
// posted through the room's remote slot "post"; every user gets the room's
// "message" signal, and the "topic" property with its changes.
//
//	go run ./examples/remotechat room -listen 127.0.0.1:4222
//	go run ./examples/remotechat user -nats nats://127.0.0.1:4222 -name alice
//	go run ./examples/remotechat user -nats nats://127.0.0.1:4222 -name bob
//
// A line "/topic text" sets the topic. Each process stops at the end of
// its standard input.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// Message is the room's signal value and the "post" slot's request.
type Message struct {
	From string `json:"from"`
	Text string `json:"text"`
}

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "room: NATS server address (loopback)")
	url := fs.String("nats", "", "user: NATS server URL")
	name := fs.String("name", "", "user: your name")
	_ = fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "room":
		err = runRoom(*listen, os.Stdin, os.Stdout)
	case "user":
		err = runUser(*url, *name, os.Stdin, os.Stdout)
	default:
		usage(os.Stderr)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "remotechat:", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: remotechat room [-listen 127.0.0.1:PORT] | user -nats URL -name NAME")
}
