// Command chatserver is the chat server of the seeds' PyQt5 chapter on
// slotnet: it answers each line a client sends (with the local responder:
// no network needed) and logs every connect and disconnect with the
// peer's address and port.
//
//	go run ./examples/chatserver -port 9407
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/examples/chat"
	"github.com/slotnet/slotnet/transport"
)

func main() {
	addr := flag.String("addr", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 9407, "port to listen on (0: pick one)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *addr, *port, nil); err != nil {
		fmt.Fprintln(os.Stderr, "chatserver:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, logging to w; ready, if set, gets the port.
func run(ctx context.Context, w io.Writer, addr string, port int, ready func(int)) error {
	host, err := transport.ParseHostAddress(addr)
	if err != nil {
		return err
	}
	l := core.NewLoop(core.WithName("chatserver"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	var srv *chat.Server
	if err := l.Invoke(func() {
		if srv, err = chat.NewServer(l, chat.Local, w); err == nil {
			if err = srv.Listen(host, port); err != nil {
				srv.Close()
			}
		}
		if err == nil {
			// On the loop, as the server's log lines are: w need not be
			// safe for concurrent writes, and no connect can come first.
			fmt.Fprintf(w, "listening on %s port %d\n", addr, srv.Port())
		}
	}); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	if ready != nil {
		ready(srv.Port())
	}
	<-ctx.Done()
	return l.Invoke(srv.Close)
}
