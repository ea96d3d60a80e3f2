package peer

import (
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/transport/mem"
)

// serverScripts are scripts of the uppercase protocol's server side that
// must all pass against helloClient, whatever its write chunking.
var serverScripts = map[string]func(*Stream) *Stream{
	"Expect": func(s *Stream) *Stream {
		return s.Expect([]byte("hello\n")).Send([]byte("HELLO\n")).ExpectShutdown()
	},
	"ExpectString+EOF": func(s *Stream) *Stream {
		return s.ExpectString("hel").ExpectString("lo\n").SendString("HELLO\n").ExpectEOF()
	},
	"ExpectLine": func(s *Stream) *Stream {
		return s.ExpectLine("hello").SendString("HELLO\n").ExpectShutdown()
	},
	"ExpectRegexp": func(s *Stream) *Stream {
		return s.ExpectRegexp(`h\w+\n`).SendString("HEL").Send(nil).SendString("LO\n").ExpectShutdown()
	},
	"ExpectLineRegexp": func(s *Stream) *Stream {
		return s.ExpectLineRegexp(`[a-z]{5}`).SendString("HELLO\n").ExpectShutdown()
	},
}

// TestStreamChunking plays each script against a client that writes one
// byte at a time and one that writes everything at once, over the
// in-memory network (also with a link that cuts every segment to one byte)
// and over OS loopback.
func TestStreamChunking(t *testing.T) {
	for name, script := range serverScripts {
		for _, chunk := range []int{1, 0} {
			name := name + map[int]string{1: "/bytewise-writes", 0: "/one-write"}[chunk]
			t.Run(name+"/mem", func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					_, client, server := memHosts(t)
					srv := script(NewStream(t))
					srv.Accept(memListen(t, server))
					got, err := helloClient(memDial(t, client), chunk)
					require.NoError(t, err)
					assert.Equal(t, "HELLO\n", got)
					<-srv.Done()
					assert.NoError(t, srv.Err())
				})
			})
			t.Run(name+"/mem-bytewise-link", func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					n, client, server := memHosts(t)
					f := mem.Faults{Latency: time.Millisecond, Segment: mem.Segmentation{Mode: mem.SegmentByte, ShortReads: true}}
					n.Link(client, server).SetFaults(f)
					n.Link(server, client).SetFaults(f)
					srv := script(NewStream(t))
					srv.Accept(memListen(t, server))
					got, err := helloClient(memDial(t, client), chunk)
					require.NoError(t, err)
					assert.Equal(t, "HELLO\n", got)
					<-srv.Done()
					assert.NoError(t, srv.Err())
				})
			})
			t.Run(name+"/loopback", func(t *testing.T) {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				defer ln.Close()
				srv := script(NewStream(t))
				srv.Accept(ln)
				c, err := net.Dial("tcp", ln.Addr().String())
				require.NoError(t, err)
				got, err := helloClient(c, chunk)
				require.NoError(t, err)
				assert.Equal(t, "HELLO\n", got)
				<-srv.Done()
				assert.NoError(t, srv.Err())
			})
		}
	}
}

// TestStreamPlaysClient plays the client side against the hand-written
// server: Play on a dialled connection, half-close, EOF.
func TestStreamPlaysClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, client, server := memHosts(t)
		ln := memListen(t, server)
		done := make(chan error, 1)
		go func() {
			c, err := ln.Accept()
			if err != nil {
				done <- err
				return
			}
			done <- upperServer(c)
		}()
		cli := NewStream(t).
			SendString("hel").Wait(time.Second).SendString("lo\r\n").
			ExpectLine("HELLO").
			SendString("again\n").ExpectString("AGAIN\n").
			CloseWrite().
			ExpectEOF()
		start := time.Now()
		cli.Play(memDial(t, client))
		<-cli.Done()
		assert.NoError(t, cli.Err())
		assert.Equal(t, time.Second, time.Since(start), "Wait is virtual time")
		assert.NoError(t, <-done)
	})
}

// TestStreamReset: Reset reaches the code under test as a reset, not EOF.
func TestStreamReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, client, server := memHosts(t)
		srv := NewStream(t).ExpectLine("hello").Reset()
		srv.Accept(memListen(t, server))
		_, err := helloClient(memDial(t, client), 0)
		require.Error(t, err)
		assert.True(t, isReset(err), "a reset, got %v", err)
		<-srv.Done()
		assert.NoError(t, srv.Err())
	})
	t.Run("loopback", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer ln.Close()
		srv := NewStream(t).ExpectLine("hello").Reset()
		srv.Accept(ln)
		c, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		_, err = helloClient(c, 0)
		assert.True(t, isReset(err), "a reset, got %v", err)
		<-srv.Done()
		assert.NoError(t, srv.Err())
	})
}
