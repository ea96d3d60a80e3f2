// Command chatclient is the chat client of the seeds' PyQt5 chapter on
// slotnet: each line of standard input goes to the server, each answer is
// printed.
//
//	go run ./examples/chatclient -port 9407
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/chat"
)

func main() {
	host := flag.String("host", "127.0.0.1", "server host")
	port := flag.Int("port", 9407, "server port")
	flag.Parse()
	if err := run(os.Stdin, os.Stdout, *host, *port); err != nil {
		fmt.Fprintln(os.Stderr, "chatclient:", err)
		os.Exit(1)
	}
}

// run sends each line of in and prints each answer to out; it returns once
// every line has its answer (or the connection failed).
func run(in io.Reader, out io.Writer, host string, port int) error {
	l := core.NewLoop(core.WithName("chatclient"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	replies := make(chan string, 16)
	failed := make(chan string, 1)
	connected := make(chan struct{}, 1)
	var c *chat.Client
	var err error
	if ierr := l.Invoke(func() {
		if c, err = chat.NewClient(l); err != nil {
			return
		}
		_, _ = c.Reply.Connect(func(s string) { replies <- s })
		_, _ = c.Failed.Connect(func(s string) {
			select {
			case failed <- s:
			default:
			}
		})
		_, _ = c.Socket().Connected.Connect(func() { connected <- struct{}{} })
		err = c.Connect(host, port)
	}); ierr != nil {
		return ierr
	}
	if err != nil {
		return err
	}
	defer closeClient(l, c)
	select {
	case <-connected:
	case f := <-failed:
		return fmt.Errorf("%s", f)
	case <-time.After(30 * time.Second):
		return fmt.Errorf("no connection to %s port %d", host, port)
	}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := sc.Text()
		if ierr := l.Invoke(func() { err = c.Send(line) }); ierr != nil {
			return ierr
		}
		if err != nil {
			return err
		}
		select {
		case r := <-replies:
			fmt.Fprintln(out, r)
		case f := <-failed:
			return fmt.Errorf("%s", f)
		case <-time.After(30 * time.Second):
			return fmt.Errorf("no answer to %q", line)
		}
	}
	return sc.Err()
}

// closeClient closes c and waits (at most 10 s) until it has disconnected:
// a loop closed while a disconnect is under way drops the socket's pending
// events, and the connection would stay open as long as this process.
func closeClient(l *core.Loop, c *chat.Client) {
	gone := make(chan struct{})
	var once sync.Once
	if err := l.Invoke(func() {
		if c.Socket().State() == socket.UnconnectedState {
			close(gone)
		} else {
			_, _ = c.Socket().Disconnected.Connect(func() { once.Do(func() { close(gone) }) })
		}
		c.Close()
	}); err != nil {
		return
	}
	select {
	case <-gone:
	case <-time.After(10 * time.Second):
	}
}
