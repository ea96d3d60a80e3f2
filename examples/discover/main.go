package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slotnet/slotnet/core"
	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/examples/discovery"
	"github.com/slotnet/slotnet/transport/mem"
	"github.com/slotnet/slotnet/transport/netsock"
)

type config struct {
	transport string
	hosts     int
	port      int
	window    time.Duration
	path      string
	fake      string
}

func main() {
	var c config
	flag.StringVar(&c.transport, "transport", "mem", "mem (simulated hosts) or os (responders on loopback)")
	flag.IntVar(&c.hosts, "hosts", 12, "how many hosts (mem) or responders (os) answer")
	flag.IntVar(&c.port, "port", discovery.Port, "the responders' port (os; 0 picks a free one)")
	flag.DurationVar(&c.window, "window", time.Second, "how long to wait for answers (ends early once every host answered)")
	flag.StringVar(&c.path, "path", ".", "os: report the free space of this path's file system (statfs)")
	flag.StringVar(&c.fake, "fake", "", "os: comma-separated free space per responder instead of statfs (bytes, or with K, M, G, T)")
	flag.Parse()
	if err := run(os.Stdout, c); err != nil {
		fmt.Fprintln(os.Stderr, "discover:", err)
		os.Exit(1)
	}
}

// parseSize parses "1234", "3G", "512M", … (powers of 1024).
func parseSize(s string) (uint64, error) {
	mult := uint64(1)
	if i := strings.IndexAny(s, "KMGT"); i == len(s)-1 && i > 0 {
		mult = 1 << (10 * (strings.IndexByte("KMGT", s[i]) + 1))
		s = s[:i]
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > ^uint64(0)/mult {
		return 0, fmt.Errorf("-fake: bad size %q", s)
	}
	return n * mult, nil
}

// human renders n bytes as "12.0 GiB".
func human(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	f, u := float64(n), 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	return fmt.Sprintf("%.1f %s", f, units[u])
}

// responder is one responder to start: its transport and free space.
type responder struct {
	name string
	free discovery.FreeFunc
	opts []socket.Option
}

func run(w io.Writer, c config) error {
	if c.hosts < 1 {
		return fmt.Errorf("-hosts %d: want at least 1", c.hosts)
	}
	var rs []responder
	var ask discovery.AskConfig
	var askOpts []socket.Option
	switch c.transport {
	case "mem":
		n := mem.New(mem.WithSeed(1))
		if c.hosts > 250 {
			return fmt.Errorf("-hosts %d: at most 250 on the simulated /24", c.hosts)
		}
		for i := range c.hosts {
			h, err := n.AddHost(fmt.Sprintf("host%02d", i+1), mem.IfaceConfig{Name: "eth0",
				Prefixes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)}), 24)}})
			if err != nil {
				return err
			}
			// A made-up figure per host: 1…97 GiB, in no order.
			free := uint64((i*37)%97+1) << 30
			rs = append(rs, responder{h.Name(), discovery.Fixed(free), []socket.Option{socket.WithTransport(h)}})
		}
		h, err := n.AddHost("asker", mem.IfaceConfig{Name: "eth0", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.254/24")}})
		if err != nil {
			return err
		}
		askOpts = []socket.Option{socket.WithTransport(h)}
		ask.Target = netip.AddrFrom4([4]byte{255, 255, 255, 255})
		c.port = discovery.Port
	case "os":
		var fakes []string
		if c.fake != "" {
			fakes = strings.Split(c.fake, ",")
			if len(fakes) != c.hosts {
				return fmt.Errorf("-fake has %d figures for %d responders", len(fakes), c.hosts)
			}
		}
		t := netsock.New()
		for i := range c.hosts {
			free := discovery.StatfsFree(c.path)
			if fakes != nil {
				n, err := parseSize(fakes[i])
				if err != nil {
					return err
				}
				free = discovery.Fixed(n)
			}
			rs = append(rs, responder{fmt.Sprintf("responder%d", i+1), free, []socket.Option{socket.WithTransport(t)}})
		}
		askOpts = []socket.Option{socket.WithTransport(t)}
		ask.Target = netip.MustParseAddr("127.255.255.255")
		ask.Bind = netip.MustParseAddr("127.0.0.1")
	default:
		return fmt.Errorf("-transport %q: want mem or os", c.transport)
	}
	if c.port < 0 || c.port > 65535 {
		return discovery.ErrBadPort
	}

	l := core.NewLoop(core.WithName("discover"))
	if err := l.Start(); err != nil {
		return err
	}
	defer l.Close()
	done := make(chan discovery.Result, 1)
	failed := make(chan string, 1)
	var started []*discovery.Responder
	var a *discovery.Asker
	var err error
	if ierr := l.Invoke(func() {
		port := c.port
		for _, r := range rs {
			var s *discovery.Responder
			if s, err = discovery.NewResponder(l, r.name, r.free, netip.IPv4Unspecified(), port, r.opts...); err != nil {
				return
			}
			_, _ = s.Failed.Connect(func(e string) { fmt.Fprintf(w, "%s: %s\n", r.name, e) })
			port = s.Port() // the others share the first one's
			started = append(started, s)
		}
		ask.Port, ask.Window, ask.Expect = port, c.window, len(rs)
		if a, err = discovery.NewAsker(l, ask, askOpts...); err != nil {
			return
		}
		_, _ = a.Done.Connect(func(r discovery.Result) { done <- r })
		_, _ = a.Failed.Connect(func(e string) { failed <- e })
		fmt.Fprintf(w, "%d responders on port %d (%s); broadcasting %s to %s:%d\n", len(rs), port, c.transport, discovery.Request, ask.Target, port)
		err = a.Ask()
	}); ierr != nil {
		return ierr
	}
	defer func() {
		_ = l.Invoke(func() {
			if a != nil {
				a.Close()
			}
			for _, s := range started {
				s.Close()
			}
		})
	}()
	if err != nil {
		return err
	}
	var res discovery.Result
	select {
	case res = <-done:
	case e := <-failed:
		return fmt.Errorf("request: %s", e)
	}
	answers := slices.Clone(res.Answers)
	slices.SortFunc(answers, func(x, y discovery.Answer) int { return strings.Compare(x.Host, y.Host) })
	for _, ans := range answers {
		fmt.Fprintf(w, "%-12s %-21s %10s (%d bytes)\n", ans.Host, ans.From, human(ans.Free), ans.Free)
	}
	fmt.Fprintf(w, "%d of %d answered\n", len(res.Answers), len(rs))
	if !res.Found {
		return fmt.Errorf("nobody answered within %v", c.window)
	}
	fmt.Fprintf(w, "most free space: %s (%s, %s)\n", res.Best.Host, res.Best.From.Addr(), human(res.Best.Free))
	return nil
}
