// Command hostlookup looks up each name given as an argument, as Qt's
// QHostInfo::lookupHost does (all at once, each answer delivered on the
// loop), and prints each name's addresses or Qt's error text, in argument
// order. It exits 1 when a lookup failed.
//
//	go run ./examples/hostlookup localhost qt-project.org 127.0.0.1
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/dns"
)

// errFailed says that at least one lookup failed (its text is printed).
var errFailed = errors.New("a lookup failed")

func main() {
	timeout := flag.Duration("timeout", 10*time.Second, "how long to wait for all answers")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: hostlookup [-timeout d] name...")
		os.Exit(2)
	}
	if err := run(os.Stdout, dns.Default(), flag.Args(), *timeout); err != nil {
		if !errors.Is(err, errFailed) {
			fmt.Fprintln(os.Stderr, "hostlookup:", err)
		}
		os.Exit(1)
	}
}

// run looks up names with c and prints one line per name: the addresses,
// or "Lookup failed: " and Qt's error text.
func run(out io.Writer, c *dns.Client, names []string, timeout time.Duration) error {
	l := core.NewLoop(core.WithName("hostlookup"))
	defer l.Close()
	if err := l.Start(); err != nil {
		return err
	}
	results := make([]*dns.HostInfo, len(names))
	left := len(names)
	all := make(chan struct{})
	var err error
	var recv *core.Object
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if ierr := l.Invoke(func() {
		if recv, err = core.NewObject(core.WithLoop(l)); err != nil {
			return
		}
		for i, name := range names {
			if _, err = c.LookupHostContext(ctx, name, recv, func(h dns.HostInfo) {
				results[i] = &h
				if left--; left == 0 {
					close(all)
				}
			}); err != nil {
				return
			}
		}
	}); ierr != nil {
		return ierr
	}
	if recv != nil {
		defer func() { _ = l.Invoke(recv.Destroy) }()
	}
	if err != nil {
		return err
	}
	select {
	case <-all:
	case <-ctx.Done():
		return fmt.Errorf("no answer for every name within %v", timeout)
	}
	failed := false
	for i, name := range names {
		h := results[i]
		if h.Error != dns.NoError {
			failed = true
			fmt.Fprintf(out, "%s: Lookup failed: %s\n", name, h.ErrorString)
			continue
		}
		as := make([]string, len(h.Addresses))
		for j, a := range h.Addresses {
			as[j] = a.String()
		}
		fmt.Fprintf(out, "%s: %s\n", name, strings.Join(as, " "))
	}
	if failed {
		return errFailed
	}
	return nil
}
