package faultproxy

// Option configures a Proxy.
type Option interface{ apply(*config) }

type config struct {
	seed           uint64
	client, server string
	mss            int
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithSeed seeds the proxy's random draws (jitter, loss, random segment
// sizes) as mem.WithSeed seeds a network's. Without it the seed is 1, as a
// network's.
func WithSeed(seed uint64) Option { return optionFunc(func(c *config) { c.seed = seed }) }

// WithNames names the client's and the server's hosts (default "client"
// and "server"): the upstream direction draws as the mem.Link from the
// host named client to the host named server, the downstream one as the
// reverse link, so a proxy and a network with the same seed and host names
// draw the same values.
func WithNames(client, server string) Option {
	return optionFunc(func(c *config) { c.client, c.server = client, server })
}

// WithMSS sets the largest segment the proxy forwards (default DefaultMSS,
// 1460: what package mem cuts on an ethernet path). Match the in-memory
// hosts' MTU less 40 to compare timings under Bandwidth.
func WithMSS(n int) Option { return optionFunc(func(c *config) { c.mss = n }) }
