package record

import (
	"bufio"
	"context"
	"io"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slotnet/slotnet/internal/faketb"

	"github.com/slotnet/slotnet/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoScript is a hand-written script: the client sends "hello\n", the
// server at 10.0.0.2:7 answers "HELLO\n", the client closes.
const echoScript = `conn 1 10.0.0.1:40000 -> 10.0.0.2:7
-- conn 1 open --
-- conn 1 client send --
hello
-- conn 1 server send +2s --
HELLO
-- conn 1 client close --
`

var echoAddr = netip.MustParseAddrPort("10.0.0.2:7")

// replayFake replays text with a fake TB in a synctest bubble, runs
// client against it, ends the fake test and returns its messages.
func replayFake(t *testing.T, text string, client func(tr transport.Transport), opts ...ReplayOption) *faketb.TB {
	t.Helper()
	s, err := Parse([]byte(text))
	require.NoError(t, err)
	f := faketb.New(t)
	synctest.Test(t, func(t *testing.T) {
		host := newClientHost(t)
		rp := Replay(f, host, s, opts...)
		client(host)
		select {
		case <-rp.Done():
		case <-time.After(time.Minute):
		}
		f.End()
	})
	return f
}

// send dials addr, writes each chunk, reads the answer line, closes.
func send(chunks ...string) func(tr transport.Transport) {
	return func(tr transport.Transport) {
		c, err := tr.Dial(context.Background(), echoAddr, transport.DialOptions{})
		if err != nil {
			panic(err)
		}
		defer c.Close()
		for _, ch := range chunks {
			if _, err := io.WriteString(c, ch); err != nil {
				return
			}
		}
		_, _ = bufio.NewReader(c).ReadString('\n')
	}
}

func TestReplayPasses(t *testing.T) {
	f := replayFake(t, echoScript, func(tr transport.Transport) {
		c, err := tr.Dial(context.Background(), echoAddr, transport.DialOptions{})
		require.NoError(t, err)
		_, err = io.WriteString(c, "hel")
		require.NoError(t, err)
		_, err = io.WriteString(c, "lo\n") // chunking does not matter
		require.NoError(t, err)
		got := make([]byte, 6)
		_, err = io.ReadFull(c, got)
		require.NoError(t, err)
		assert.Equal(t, "HELLO\n", string(got))
		require.NoError(t, c.Close())
	})
	assert.Empty(t, f.Messages())
}

// TestReplayTiming: WithTiming keeps the recorded 2 s before the answer.
func TestReplayTiming(t *testing.T) {
	for _, timing := range []bool{false, true} {
		var took time.Duration
		var opts []ReplayOption
		if timing {
			opts = append(opts, WithTiming())
		}
		f := replayFake(t, echoScript, func(tr transport.Transport) {
			start := time.Now()
			send("hello\n")(tr)
			took = time.Since(start)
		}, opts...)
		assert.Empty(t, f.Messages())
		if timing {
			assert.Equal(t, 2*time.Second, took, "virtual time: exactly the recorded delay")
		} else {
			assert.Less(t, took, time.Second)
		}
	}
}

// TestReplayWrongBytes: the client sends other bytes; the failure names
// the connection, the peer step and its script section, the offset and
// the difference.
func TestReplayWrongBytes(t *testing.T) {
	f := replayFake(t, echoScript, send("hel", "p!\n"))
	msg := f.One(t)
	t.Log(msg)
	assert.Contains(t, msg, `record: replay of conn 1 (to 10.0.0.2:7): peer: step 0 (section 2) Expect("hello\n") at stream offset 3`)
	assert.Contains(t, msg, `expected "hello\n"`)
	assert.Contains(t, msg, `got "help!\n"`)
	assert.Contains(t, msg, `2 step(s) not played: step 1 (section 3) Send("HELLO\n"), step 2 (section 4) ExpectShutdown()`)
}

// TestReplayClientStopsEarly: the client closes before sending all the
// recorded bytes.
func TestReplayClientStopsEarly(t *testing.T) {
	f := replayFake(t, echoScript, send("hel"))
	msg := f.One(t)
	t.Log(msg)
	assert.Contains(t, msg, `record: replay of conn 1 (to 10.0.0.2:7): peer: step 0 (section 2) Expect("hello\n") at stream offset 3`)
	assert.Contains(t, msg, `2 step(s) not played: step 1 (section 3) Send("HELLO\n"), step 2 (section 4) ExpectShutdown()`)
}

// TestReplayNeverDialed: a recorded connection the client never makes
// fails at cleanup.
func TestReplayNeverDialed(t *testing.T) {
	f := replayFake(t, echoScript, func(transport.Transport) {})
	msg := f.One(t)
	assert.Contains(t, msg, "record: replay of conn 1 (to 10.0.0.2:7): peer: the script was never played")
	assert.Contains(t, msg, `step 0 (section 2) Expect("hello\n")`)
}

// TestReplayExtraConnection: a connection the script does not have is
// reset and fails the test.
func TestReplayExtraConnection(t *testing.T) {
	f := replayFake(t, echoScript, func(tr transport.Transport) {
		send("hello\n")(tr)
		c, err := tr.Dial(context.Background(), echoAddr, transport.DialOptions{})
		require.NoError(t, err)
		_, err = c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, transport.RemoteHostClosedError)
		_ = c.Close()
	})
	assert.Equal(t, []string{"record: replay: connection 2 to 10.0.0.2:7 is not in the script (it has 1): reset"}, f.Messages())
}

// TestReplayBadSetup: a script that does not validate, or an address
// already taken, fails at once and plays nothing.
func TestReplayBadSetup(t *testing.T) {
	f := faketb.New(t)
	synctest.Test(t, func(t *testing.T) {
		host := newClientHost(t)
		rp := Replay(f, host, &Script{Events: []Event{{Kind: Open, ID: 2}}})
		<-rp.Done()
		s, err := Parse([]byte(echoScript))
		require.NoError(t, err)
		server := host.Network().MustAddHost("server", ifaceAt("10.0.0.2/24"))
		ln, err := server.Listen(context.Background(), echoAddr, transport.ListenOptions{})
		require.NoError(t, err)
		defer ln.Close()
		rp = Replay(f, host, s)
		<-rp.Done()
		s, err = Parse([]byte("udp 1 10.0.0.1:5000\n-- udp 1 server send 10.0.0.3:9 --\nunasked\n"))
		require.NoError(t, err)
		rp = Replay(f, host, s)
		<-rp.Done()
		f.End()
	})
	msgs := f.Messages()
	require.Len(t, msgs, 3)
	assert.Equal(t, "record: replay: event 0: record: bad script: conn 2 is not in the header", msgs[0])
	assert.Contains(t, msgs[1], "record: replay: listen on 10.0.0.2:7 (host server): ")
	assert.Contains(t, msgs[1], "AddressInUseError")
	assert.Equal(t, "record: replay: udp 1: section 1: 10.0.0.3:9 sends before the client has sent it anything, "+
		"so the replay cannot know the client's address", msgs[2])
}

// TestReplayRegexpMismatch: a pattern the client's bytes do not match
// fails naming the ExpectRegexp step and its section.
func TestReplayRegexpMismatch(t *testing.T) {
	const text = `conn 1 10.0.0.1:40000 -> 10.0.0.2:7
-- conn 1 open --
-- conn 1 client send regexp --
hel+o\n
-- conn 1 server send --
HELLO
-- conn 1 client close --
`
	f := replayFake(t, text, send("hellllo\n"))
	assert.Empty(t, f.Messages(), "the pattern matches")
	f = replayFake(t, text, send("help\n"))
	msg := f.One(t)
	t.Log(msg)
	assert.Contains(t, msg, "record: replay of conn 1 (to 10.0.0.2:7): peer: step 0 (section 2) ExpectRegexp(`hel+o\\n`)")
}
