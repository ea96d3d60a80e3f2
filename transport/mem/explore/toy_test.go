package explore_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"

	"github.com/slotnet/slotnet/transport"
	"github.com/slotnet/slotnet/transport/mem"
)

// The toy protocol is the guide's line protocol: the client sends a line,
// the server answers it upper-cased ("hello\n" -> "HELLO\n").

var (
	serverAddr = netip.MustParseAddrPort("10.0.0.2:7")
	words      = []string{"hello", "world"}
)

// serveUpper answers every line of every connection upper-cased, one
// goroutine per connection, until the listener closes and every
// connection has ended.
func serveUpper(ln transport.Listener) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := ln.AcceptStream(context.Background())
		if err != nil {
			return
		}
		wg.Go(func() {
			defer c.Close()
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if _, err := io.WriteString(c, strings.ToUpper(line)); err != nil {
					return
				}
			}
		})
	}
}

// answer is one response as the client's reader saw it.
type answer struct {
	conn int
	line string
	err  error
}

// fetchAll pipelines one request per word, each on its own connection,
// opened when the request is sent, without waiting for earlier answers, and
// returns the answers in request order.
//
// The planted bug (inOrder): it takes the answers in the order they arrive
// and assumes that is the order of the requests. That holds on a quiet
// network, where the first answer is back before the second request has
// even been sent; it breaks when jitter, or a tie between deliveries due at
// the same instant, lets a later answer overtake an earlier one.
func fetchAll(h *mem.Host, words []string, inOrder bool) ([]string, error) {
	ctx := context.Background()
	answers := make(chan answer, len(words))
	for i, w := range words {
		c, err := h.Dial(ctx, serverAddr, transport.DialOptions{})
		if err != nil {
			return nil, err
		}
		defer c.Close()
		if _, err := io.WriteString(c, w+"\n"); err != nil {
			return nil, err
		}
		go func() {
			line, err := bufio.NewReader(c).ReadString('\n')
			answers <- answer{conn: i, line: strings.TrimSuffix(line, "\n"), err: err}
		}()
	}
	out := make([]string, len(words))
	for k := range words {
		a := <-answers
		if a.err != nil {
			return nil, a.err
		}
		if inOrder {
			out[k] = a.line // BUG: the k-th answer to arrive is not the k-th request's
		} else {
			out[a.conn] = a.line
		}
	}
	return out, nil
}

// upperBody is the explored test: a server, a client fetching words, and
// the property that every request gets its own answer.
func upperBody(inOrder bool) func(n *mem.Network) error {
	return func(n *mem.Network) error {
		client := n.MustAddHost("client", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}})
		server := n.MustAddHost("server", mem.IfaceConfig{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/24")}})
		ln, err := server.Listen(context.Background(), serverAddr, transport.ListenOptions{})
		if err != nil {
			return err
		}
		served := make(chan struct{})
		go func() {
			defer close(served)
			serveUpper(ln)
		}()
		got, err := fetchAll(client, words, inOrder)
		ln.Close()
		<-served // an orderly end: the server has seen every client close
		if err != nil {
			return err
		}
		for i, w := range words {
			if got[i] != strings.ToUpper(w) {
				return fmt.Errorf("request %q got answer %q", w, got[i])
			}
		}
		return nil
	}
}
