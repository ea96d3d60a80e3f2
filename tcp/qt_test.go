package tcp_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/internal/qtcompat"
	"github.com/slotnet/slotnet/internal/sockettest"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// The differential harness. Each scenario of Qt's QTcpSocket autotests
// exists twice: in testdata/qtdiff/scenarios.py for real Qt 5 (PyQt5) and
// below for slotnet, both printing a trace ("actor.signal arg",
// "actor.call() value"). testdata/qtdiff/golden holds Qt's trace as recorded;
// TestQtScenarios requires slotnet's trace on both transports to equal
// it, and TestQtGoldenIsQt requires Qt itself, run now, to equal it too.
//
// Traces are compared actor by actor (each object's signals in order):
// between objects the order is the network's (docs/sockets.md). Within an
// actor, consecutive BytesWritten are summed and consecutive ReadyRead
// counted once: how bytes split into reads and writes is the transport's.
var qtScenarios = map[string]func(s *scen){
	"connectionRefused": func(s *scen) {
		c := s.socket("client")
		port := s.refusedPort()
		s.do(func() { require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, port)) })
		s.until("refused", unconnected(c))
		s.props(c, "client")
	},
	"hostNotFound": func(s *scen) {
		c := s.socket("client")
		s.do(func() { require.NoError(s.t, c.ConnectToHost(s.w.missing, 80)) })
		s.until("lookup failure", unconnected(c))
		s.props(c, "client")
	},
	"remoteCloseError": func(s *scen) {
		c := s.socket("client")
		s.do(func() { require.NoError(s.t, c.ConnectToHost(s.w.serverName, s.srv.ServerPort())) })
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.do(func() {
			_, _ = c.ErrorOccurred.Connect(func(transport.SocketError) { s.tr.Add("client.state() %s", c.State()) })
			_, _ = p.Write([]byte("abc"))
		})
		s.until("bytes", func() bool { return c.BytesAvailable() == 3 && p.BytesToWrite() == 0 })
		s.do(func() { require.NoError(s.t, p.DisconnectFromHost()) })
		s.until("client unconnected", unconnected(c))
		s.props(c, "client")
		s.do(func() {
			s.tr.Add("client.readAll() %s", c.ReadAll())
			require.NoError(s.t, c.ConnectToHost(s.w.serverName, s.srv.ServerPort()))
		})
		s.until("reconnected", func() bool { return c.State() == socket.ConnectedState })
	},
	"abortiveClose": func(s *scen) {
		c := s.socket("client")
		s.do(func() { require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort())) })
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.do(func() {
			_, _ = c.Write([]byte("abc"))
			require.NoError(s.t, c.Abort())
		})
		s.props(c, "client")
		s.until("peer unconnected", unconnected(p))
	},
	"delayedClose": func(s *scen) {
		c := s.socket("client")
		s.do(func() { require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort())) })
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.do(func() {
			_, _ = c.Write(make([]byte, 100000))
			require.NoError(s.t, c.DisconnectFromHost())
			s.tr.Add("client.state() %s", c.State())
			s.tr.Add("client.bytesToWrite() %d", c.BytesToWrite())
		})
		s.until("peer unconnected", unconnected(p))
		s.do(func() { s.tr.Add("peer.bytesAvailable() %d", p.BytesAvailable()) })
	},
	"close": func(s *scen) {
		c := s.socket("client")
		s.do(func() { require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort())) })
		p := s.peer("peer")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		s.do(func() {
			_, _ = c.Write([]byte("abc"))
			require.NoError(s.t, c.Close())
			s.tr.Add("client.state() %s", c.State())
			s.tr.Add("client.bytesToWrite() %d", c.BytesToWrite())
		})
		s.until("peer unconnected", unconnected(p))
		s.props(c, "client")
		s.do(func() { s.tr.Add("peer.readAll() %s", p.ReadAll()) })
	},
	"disconnectWhileConnecting": func(s *scen) {
		c := s.socket("client")
		s.do(func() {
			require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort()))
			n, _ := c.Write([]byte("hello"))
			s.tr.Add("client.write() %d", n)
			require.NoError(s.t, c.DisconnectFromHost())
			s.tr.Add("client.state() %s", c.State())
			s.tr.Add("client.bytesToWrite() %d", c.BytesToWrite())
		})
		s.until("a pending connection", s.srv.HasPendingConnections)
		var p *tcp.Socket
		var got []byte
		s.do(func() {
			p = s.srv.NextPendingConnection()
			got = append(got, p.ReadAll()...)
			_, _ = p.ReadyRead.Connect(func() { got = append(got, p.ReadAll()...) })
		})
		s.until("peer unconnected", unconnected(p))
		s.do(func() { s.tr.Add("peer.received %s", append(got, p.ReadAll()...)) })
	},
	"abortWhileConnecting": func(s *scen) {
		c := s.socket("client")
		s.do(func() {
			require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort()))
			require.NoError(s.t, c.Abort())
		})
		s.props(c, "client")
	},
	"connectWhileConnecting": func(s *scen) {
		c := s.socket("client")
		s.do(func() {
			require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort()))
			assert.ErrorIs(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort()), transport.OperationError)
			s.tr.Add("client.state() %s", c.State())
			s.tr.Add("client.errorString() %s", c.ErrorString())
		})
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
	},
	"bindThenConnect": func(s *scen) {
		c := s.socket("client")
		s.do(func() {
			s.tr.Add("client.bind() %v", c.Bind(s.w.clientAddr, 0, transport.DefaultForPlatform) == nil)
		})
		s.props(c, "client")
		s.do(func() { require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort())) })
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
	},
	"dontCloseOnTimeout": func(s *scen) {
		c := s.blockingSocket("client")
		require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort()))
		require.NoError(s.t, c.WaitForConnected(10*time.Second))
		s.tr.Add("client.waitForReadyRead() %v", c.WaitForReadyRead(100*time.Millisecond) == nil)
		s.tr.Add("%s", propsLine(c, "client"))
	},
	"openCloseOpenClose": func(s *scen) {
		c := s.blockingSocket("client")
		for range 2 {
			require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort()))
			require.NoError(s.t, c.WaitForConnected(10*time.Second))
			require.NoError(s.t, c.Close())
			s.tr.Add("%s", propsLine(c, "client"))
		}
	},
	"readyReadSignalsAfterWaitForReadyRead": func(s *scen) {
		c, err := tcp.NewSocket(socket.WithTransport(s.w.client))
		require.NoError(s.t, err)
		s.t.Cleanup(c.Destroy)
		require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort()))
		require.NoError(s.t, c.WaitForConnected(10*time.Second))
		p := s.peer("peer")
		n := 0
		_, _ = c.ReadyRead.Connect(func() { n++ })
		s.do(func() { _, _ = p.Write([]byte("abc")) })
		s.until("written", func() bool { return p.BytesToWrite() == 0 })
		s.tr.Add("client.waitForReadyRead() %v", c.WaitForReadyRead(10*time.Second) == nil)
		s.tr.Add("client.readyReadCount %d", n)
		s.tr.Add("client.bytesAvailable() %d", c.BytesAvailable())
		time.Sleep(200 * time.Millisecond)
		_, _ = c.ProcessEvents()
		s.tr.Add("client.readyReadCount %d", n)
	},
	"increaseReadBufferSize": func(s *scen) {
		c := s.socket("")
		s.do(func() { require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort())) })
		p := s.peer("p")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		avail := func(n int64) func() bool { return func() bool { return c.BytesAvailable() == n } }
		report := func() { s.do(func() { s.tr.Add("client.bytesAvailable() %d", c.BytesAvailable()) }) }
		s.do(func() {
			require.NoError(s.t, c.SetReadBufferSize(256))
			_, _ = p.Write([]byte(strings.Repeat("a", 512)))
		})
		s.until("256", avail(256))
		time.Sleep(100 * time.Millisecond)
		report()
		s.do(func() { require.NoError(s.t, c.SetReadBufferSize(384)) })
		s.until("384", avail(384))
		time.Sleep(100 * time.Millisecond)
		report()
		s.do(func() { require.NoError(s.t, c.SetReadBufferSize(1024)) })
		s.until("512", avail(512))
		report()
		s.do(func() {
			c.ReadAll()
			require.NoError(s.t, c.SetReadBufferSize(256))
			_, _ = p.Write([]byte(strings.Repeat("b", 512)))
		})
		s.until("256 again", avail(256))
		time.Sleep(100 * time.Millisecond)
		report()
		s.do(func() { require.NoError(s.t, c.SetReadBufferSize(0)) })
		s.until("all", avail(512))
		report()
	},
	"readTransaction": func(s *scen) {
		c := s.socket("")
		s.do(func() { require.NoError(s.t, c.ConnectToAddress(s.w.serverAddr, s.srv.ServerPort())) })
		p := s.peer("p")
		s.until("connected", func() bool { return c.State() == socket.ConnectedState })
		val := func(call string, v any) { s.tr.Add("client.%s %v", call, v) }
		q := func(b []byte) string { return strconv.Quote(string(b)) }
		act := func(call string, err error) {
			if err != nil {
				val(call, "refused")
			} else {
				val(call, "ok")
			}
		}
		read := func(n int) string {
			b, err := c.ReadN(n)
			require.NoError(s.t, err)
			return q(b)
		}
		getChar := func() string { ch, _ := c.GetChar(); return q([]byte{ch}) }
		// The peer's BytesWritten is in before the client goes on, as in
		// Qt, where a write is flushed by the writer's own loop.
		avail := func(n int64) func() bool {
			return func() bool { return c.BytesAvailable() == n && p.BytesToWrite() == 0 }
		}

		s.do(func() { _, _ = p.Write([]byte("abc\ndef")) })
		s.until("7 bytes", avail(7))
		s.do(func() {
			val("isTransactionStarted()", c.IsTransactionStarted())
			act("startTransaction()", c.StartTransaction())
			val("isTransactionStarted()", c.IsTransactionStarted())
			val("read(2)", read(2))
			val("bytesAvailable()", c.BytesAvailable())
			val("canReadLine()", c.CanReadLine())
			val("peek(10)", q(c.Peek(10)))
			val("getChar()", getChar())
			line, err := c.ReadLine()
			require.NoError(s.t, err)
			val("readLine()", q(line))
			val("canReadLine()", c.CanReadLine())
			val("atEnd()", c.AtEnd())
			act("rollbackTransaction()", c.RollbackTransaction())
			val("isTransactionStarted()", c.IsTransactionStarted())
			val("bytesAvailable()", c.BytesAvailable())
			val("read(2)", read(2))
			act("startTransaction()", c.StartTransaction())
			act("startTransaction()", c.StartTransaction())
			val("readAll()", q(c.ReadAll()))
			val("bytesAvailable()", c.BytesAvailable())
			val("read(1)", read(1))
			act("commitTransaction()", c.CommitTransaction())
			val("isTransactionStarted()", c.IsTransactionStarted())
			val("bytesAvailable()", c.BytesAvailable())
			act("commitTransaction()", c.CommitTransaction())
			act("rollbackTransaction()", c.RollbackTransaction())

			act("startTransaction()", c.StartTransaction())
			_, _ = p.Write([]byte("ghi"))
		})
		s.until("3 bytes", avail(3))
		s.do(func() {
			val("read(1)", read(1))
			_, _ = p.Write([]byte("jk"))
		})
		s.until("4 bytes after the transaction's", avail(4))
		s.do(func() {
			val("bytesAvailable()", c.BytesAvailable())
			act("rollbackTransaction()", c.RollbackTransaction())
			val("bytesAvailable()", c.BytesAvailable())

			act("startTransaction()", c.StartTransaction())
			val("getChar()", getChar())
			act(`ungetChar("g")`, c.UngetChar('g'))
			val("bytesAvailable()", c.BytesAvailable())
			act("rollbackTransaction()", c.RollbackTransaction())
			val("bytesAvailable()", c.BytesAvailable())
			val("peek(10)", q(c.Peek(10)))
			act(`ungetChar("X")`, c.UngetChar('X'))
			val("bytesAvailable()", c.BytesAvailable())
			val("read(2)", read(2))

			act("startTransaction()", c.StartTransaction())
			val("read(1)", read(1))
			require.NoError(s.t, c.Close())
			val("isTransactionStarted()", c.IsTransactionStarted())
			val("bytesAvailable()", c.BytesAvailable())
		})
		s.until("peer unconnected", unconnected(p))
	},
}

// blockingSocket is a loop-less socket (Qt's socket without an event
// loop), traced as actor.
func (s *scen) blockingSocket(actor string) *tcp.Socket {
	c, err := tcp.NewSocket(socket.WithTransport(s.w.client))
	require.NoError(s.t, err)
	s.t.Cleanup(c.Destroy)
	s.tr.Watch(s.t, actor, c.Engine)
	return c
}

func (s *scen) props(c *tcp.Socket, actor string) {
	s.do(func() { s.tr.Add("%s", propsLine(c, actor)) })
}

// propsLine is the scripts' props line.
func propsLine(c *tcp.Socket, actor string) string {
	name := "empty"
	if c.PeerName() != "" {
		name = "set"
	}
	return fmt.Sprintf("%s.props state=%s error=%s errorString=%q peerName=%s peer=%v local=%v valid=%v open=%s avail=%d toWrite=%d",
		actor, c.State(), c.Error(), c.ErrorString(), name, c.PeerPort() != 0, c.LocalPort() != 0,
		c.IsValid(), c.OpenMode(), c.BytesAvailable(), c.BytesToWrite())
}

func golden(t *testing.T, name string) []string {
	return sockettest.Golden(t, filepath.Join("testdata", "qtdiff", "golden", name+".txt"))
}

func normalize(lines []string) map[string][]string { return sockettest.Normalize(lines) }

func TestQtScenarios(t *testing.T) {
	for name, run := range qtScenarios {
		t.Run(name, func(t *testing.T) {
			want := normalize(golden(t, name))
			both(t, func(t *testing.T, w world) {
				s := newScen(t, w)
				run(s)
				got := s.tr.Take()
				assert.Equal(t, want, normalize(got), "slotnet's trace:\n%s", strings.Join(got, "\n"))
			})
		})
	}
}

// Qt itself, run now, gives the recorded traces.
func TestQtGoldenIsQt(t *testing.T) {
	for name := range qtScenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := qtcompat.Events(qtcompat.Trace(t, "PyQt5.QtNetwork", filepath.Join("testdata", "qtdiff", "scenarios.py"), name))
			assert.Equal(t, normalize(golden(t, name)), normalize(got), "Qt's trace:\n%s", strings.Join(got, "\n"))
		})
	}
}
