package transporttest

import (
	"time"
)

// scenarioWriteToClosedPeer is TCP's rule for writing to a peer that has
// closed: the FIN reads as EOF, the next Write succeeds (its data draws
// the peer's reset) and the Write after that reset fails with
// RemoteHostClosedError.
func scenarioWriteToClosedPeer(c *C, o *Outcome) {
	client, server := c.Pair()
	rescue := closeAll(client, server)
	o.Err("server close", server.Close())
	var n int
	var err error
	c.Within("read the FIN", func() { n, err = client.Read(make([]byte, 4)) }, rescue)
	o.Op("client read", n, err)
	n, err = client.Write([]byte("first"))
	o.Op("first write", n, err)
	// The reset is an event the client cannot wait on: a Tick is many
	// loopback round trips, and under a bubble it is virtual.
	time.Sleep(c.Env.tick())
	n, err = client.Write([]byte("second"))
	o.Op("second write", n, err)
}
