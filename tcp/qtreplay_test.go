package tcp_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slotnet/slotnet/core/socket"
	"github.com/slotnet/slotnet/core/spy"
	"github.com/slotnet/slotnet/internal/qtcompat"
	"github.com/slotnet/slotnet/tcp"
	"github.com/slotnet/slotnet/transport"
)

// Replays of the real-Qt traces of testdata/qt (its README has the format
// and what each scenario shows): each scenario below takes the script's
// steps on slotnet and prints the script's lines, and TestQtReplay
// requires, on both transports, the golden trace actor by actor (the
// markers dropped, normalize's grouping; within one actor the order is
// Qt's exactly). Where slotnet differs from Qt on purpose, diff rewrites
// the golden line into slotnet's, each with its reason (docs/sockets.md,
// "Where slotnet differs").
type qtReplay struct {
	run func(s *scen)
	// skip are the signals slotnet's trace has that the script does not
	// record (its watch(skip=…)), e.g. "client.readyRead" (with any
	// argument).
	skip []string
	// diff maps a golden line to slotnet's ("" drops it).
	diff map[string]string
}

// noDescriptor: slotnet has no socket descriptor (a transport's stream is
// not a file descriptor); Qt's -1 has no counterpart to print.
var noDescriptor = map[string]string{
	"client.socketDescriptor() -1": "",
	"server.socketDescriptor() -1": "",
}

var qtReplays = map[string]qtReplay{
	"constructing": {diff: noDescriptor, run: func(s *scen) {
		c := s.socket("client")
		srv := s.server("server")
		s.do(func() {
			s.sockState(c, "client")
			s.add("client.canReadLine() %v", c.CanReadLine())
			s.add("client.atEnd() %v", c.AtEnd())
			s.add("client.readBufferSize() %d", c.ReadBufferSize())
			s.add("client.isSequential() %v", c.IsSequential())
			s.add("client.read(10) %s", pyResult(c.ReadN(10)))
			s.add("client.readLine(10) %s", pyResult(c.ReadLineN(10)))
			s.add("client.readLine() %s", pyLine(c.ReadLine()))
			s.add("client.readAll() %s", pyBytes(c.ReadAll()))
			s.add("client.getChar() %s", pyChar(c.GetChar()))
			s.add("client.peek(10) %s", pyBytes(c.Peek(10)))
			s.add("client.write(b'x') %s", pyN(c.Write([]byte("x"))))
			s.add("client.flush() %v", c.Flush())
			s.add("client.state() %s", c.State())
			s.add("client.error() %s", c.Error())
			s.add("client.errorString() %s", pyStr(c.ErrorString()))
			s.add("client.bytesToWrite() %d", c.BytesToWrite())
			s.add("server.isListening() %v", srv.IsListening())
			s.add("server.maxPendingConnections() %d", srv.MaxPendingConnections())
			s.add("server.serverAddress() %s", s.hostAddr(srv.ServerAddress()))
			s.add("server.serverPort() %s", pyPort(srv.ServerPort()))
			s.add("server.serverError() %s", srv.ServerError())
			s.add("server.errorString() %s", pyStr(srv.ErrorString()))
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
			s.add("server.nextPendingConnection() %s", pySocket(srv.NextPendingConnection()))
		})
	}},
	"listenError": {run: func(s *scen) {
		srv := s.server("server")
		srv2 := s.server("server2")
		s.do(func() {
			s.add("server.listen(1.2.3.4, 0) %v", srv.Listen(transport.HostAddressFrom(netip.MustParseAddr("1.2.3.4")), 0) == nil)
			s.add("server.isListening() %v", srv.IsListening())
			s.srvState(srv, "server")
			s.add("server.listen(127.0.0.1, 0) %v", srv.Listen(transport.HostAddressFrom(s.w.serverAddr), 0) == nil)
			s.add("server.isListening() %v", srv.IsListening())
			s.srvState(srv, "server")
			s.add("server2.listen(127.0.0.1, <port>) %v", srv2.Listen(transport.HostAddressFrom(s.w.serverAddr), srv.ServerPort()) == nil)
			s.add("server2.isListening() %v", srv2.IsListening())
			s.srvState(srv2, "server2")
		})
	}},
	"listenWhileListening": {run: func(s *scen) {
		srv := s.server("server")
		at := transport.HostAddressFrom(s.w.serverAddr)
		s.do(func() {
			s.add("server.listen(127.0.0.1, 0) %v", srv.Listen(at, 0) == nil)
			port := srv.ServerPort()
			s.add("server.listen(127.0.0.1, 0) %v", srv.Listen(at, 0) == nil)
			s.add("server.isListening() %v", srv.IsListening())
			s.add("server.serverError() %s", srv.ServerError())
			s.add("server.errorString() %s", pyStr(srv.ErrorString()))
			s.add("server.serverAddress() %s", s.hostAddr(srv.ServerAddress()))
			s.add("server.serverPort unchanged %v", srv.ServerPort() == port)
			s.add("server.close()")
			srv.Close()
			s.add("server.isListening() %v", srv.IsListening())
			s.add("server.serverError() %s", srv.ServerError())
			s.add("server.errorString() %s", pyStr(srv.ErrorString()))
			s.add("server.serverAddress() %s", s.hostAddr(srv.ServerAddress()))
			s.add("server.serverPort() %s", pyPort(srv.ServerPort()))
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
			s.add("server.listen(127.0.0.1, 0) %v", srv.Listen(at, 0) == nil)
			s.add("server.isListening() %v", srv.IsListening())
		})
	}},
	"waitForNewConnection": {run: func(s *scen) {
		srv := s.server("server")
		// Qt's waitForNewConnection blocks its thread: called on the loop,
		// slotnet's runs the server's own events only, as Qt's.
		wait := func(ms int, timedOut bool) {
			err := srv.WaitForNewConnection(time.Duration(ms) * time.Millisecond)
			line := fmt.Sprintf("server.waitForNewConnection(%d) %v", ms, err == nil)
			if timedOut {
				line += fmt.Sprintf(" %v", errors.Is(err, transport.SocketTimeoutError))
			}
			s.add("%s", line)
		}
		s.do(func() {
			wait(100, false)
			s.add("server.serverError() %s", srv.ServerError())
			s.add("server.errorString() %s", pyStr(srv.ErrorString()))
			s.add("server.listen(127.0.0.1, 0) %v", srv.Listen(transport.HostAddressFrom(s.w.serverAddr), 0) == nil)
			wait(100, true)
			s.add("server.serverError() %s", srv.ServerError())
			s.add("server.errorString() %s", pyStr(srv.ErrorString()))
			s.add("server.isListening() %v", srv.IsListening())
			wait(0, true)
		})
		c := s.socket("client")
		s.do(func() {
			s.add("client.connectToHost(127.0.0.1, <port>)")
			require.NoError(s.t, c.ConnectToHost(s.w.serverAddr.String(), srv.ServerPort()))
			wait(2000, true)
			s.add("server.serverError() %s", srv.ServerError())
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
			// The script ends here, before its loop runs again.
			s.end()
		})
	}},
	"writeBytesWritten": {skip: []string{"client.readyRead", "peer.readyRead"}, run: func(s *scen) {
		c, p := s.pair()
		var got []byte
		s.do(func() { _, _ = p.ReadyRead.Connect(func() { got = append(got, p.ReadAll()...) }) })
		write := func(b string) { s.add("client.write(%s) %s", pyBytes([]byte(b)), pyN(c.Write([]byte(b)))) }
		received := func(n int) func() bool {
			return func() bool { return c.BytesToWrite() == 0 && len(got) == n }
		}
		s.do(func() {
			write("abc")
			write("defgh")
			s.add("client.bytesToWrite() %d", c.BytesToWrite())
		})
		s.until("flushed and received", received(8))
		s.do(func() {
			s.add("client.bytesToWrite() %d", c.BytesToWrite())
			write("ij")
		})
		s.until("flushed and received", received(10))
		s.do(func() {
			write("klmno")
			s.add("client.waitForBytesWritten(2000) %v", c.WaitForBytesWritten(2*time.Second) == nil)
			s.add("client.bytesToWrite() %d", c.BytesToWrite())
			s.add("client.waitForBytesWritten(100) %v", c.WaitForBytesWritten(100*time.Millisecond) == nil)
			s.add("client.error() %s", c.Error())
			write("")
			s.add("client.bytesToWrite() %d", c.BytesToWrite())
		})
		s.until("received", func() bool { return len(got) == 15 })
		s.do(func() { s.add("peer.read total %d %s", len(got), pyBytes(got)) })
	}},
	"zeroAndMinusOneReturns": {skip: []string{"client.readyRead", "peer.readyRead"}, run: func(s *scen) {
		data := append([]byte("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"), bytes.Repeat([]byte("y"), 100)...)
		c, p := s.pair()
		s.do(func() { s.add("peer.write(%s) %s", pyBytes(data), pyN(p.Write(data))) })
		// In Qt the writer's bytesWritten comes before the reader sees the
		// bytes (one thread); in slotnet the order between two sockets is
		// the network's (docs/sockets.md), so wait for both.
		s.until("client has every byte", func() bool {
			return c.BytesAvailable() == int64(len(data)) && p.BytesToWrite() == 0
		})
		empty := func(connected bool) {
			s.add("client.getChar() %s", pyChar(c.GetChar()))
			s.add("client.read(16) %s", pyResult(c.ReadN(16)))
			s.add("client.read(0) %s", pyResult(c.ReadN(0)))
			s.add("client.readLine(16) %s", pyResult(c.ReadLineN(16)))
			s.add("client.readLine() %s", pyLine(c.ReadLine()))
			s.add("client.readAll() %s", pyBytes(c.ReadAll()))
			s.add("client.peek(16) %s", pyBytes(c.Peek(16)))
			if connected {
				s.add("client.bytesAvailable() %d", c.BytesAvailable())
			}
			s.add("client.atEnd() %v", c.AtEnd())
		}
		s.do(func() {
			s.add("client.getChar() %s", pyChar(c.GetChar()))
			s.add("client.read(16) %s", pyResult(c.ReadN(16)))
			s.add("client.readLine(16) %s", pyResult(c.ReadLineN(16)))
			s.add("client.readLine(100) %s", pyResult(c.ReadLineN(100)))
			s.add("client.readAll() %s", pyBytes(c.ReadAll()))
			empty(true)
			s.add("peer.close()")
			require.NoError(s.t, p.Close())
		})
		s.until("client unconnected", unconnected(c))
		s.do(func() {
			empty(false)
			s.add("client.write(b'x') %s", pyN(c.Write([]byte("x"))))
		})
	}},
	"abortWhileConnected": {skip: []string{"client.readyRead", "peer.readyRead"}, run: func(s *scen) {
		c, p := s.pair()
		var got []byte
		s.do(func() {
			_, _ = p.ReadyRead.Connect(func() { got = append(got, p.ReadAll()...) })
			_, _ = c.ErrorOccurred.Connect(func(transport.SocketError) { s.add("client.state() %s", c.State()) })
			_, _ = p.ErrorOccurred.Connect(func(transport.SocketError) { s.add("peer.state() %s", p.State()) })
		})
		s.do(func() {
			data := bytes.Repeat([]byte("z"), 102400)
			s.add("client.write(%s) %s", pyBytes(data), pyN(c.Write(data)))
			s.add("client.abort()")
			require.NoError(s.t, c.Abort())
			s.add("client.state() %s", c.State())
			s.add("client.error() %s", c.Error())
			s.add("client.errorString() %s", pyStr(c.ErrorString()))
			s.add("client.isOpen() %v", c.IsOpen())
			s.add("client.openMode() %s", c.OpenMode())
			s.add("client.bytesToWrite() %d", c.BytesToWrite())
			s.add("client.bytesAvailable() %d", c.BytesAvailable())
			s.add("client.peerPort() %s", pyPort(c.PeerPort()))
			s.add("client.localPort() %s", pyPort(c.LocalPort()))
		})
		s.until("peer unconnected", unconnected(p))
		s.do(func() {
			s.add("peer.read total %d", len(got))
			s.add("peer.state() %s", p.State())
			s.add("peer.error() %s", p.Error())
			s.add("peer.errorString() %s", pyStr(p.ErrorString()))
		})
	}},
	"closeVsDisconnect_close":              {run: closeVsDisconnect(true)},
	"closeVsDisconnect_disconnectFromHost": {run: closeVsDisconnect(false)},
	"bufferedReads": {skip: []string{"client.readyRead", "peer.readyRead", "client.bytesWritten", "peer.bytesWritten"}, run: func(s *scen) {
		data := []byte("line1\nline2\r\nxy\n\npartial")
		c, p := s.pair()
		s.do(func() { s.add("peer.write(%s) %s", pyBytes(data), pyN(p.Write(data))) })
		s.until("client has every byte", func() bool { return c.BytesAvailable() == int64(len(data)) })
		unget := func(b byte) {
			s.add("client.ungetChar(%s)", pyBytes([]byte{b}))
			require.NoError(s.t, c.UngetChar(b))
		}
		readLine := func(n int) { s.add("client.readLine(%d) %s", n, pyResult(c.ReadLineN(n))) }
		s.do(func() {
			s.add("client.canReadLine() %v", c.CanReadLine())
			s.add("client.peek(3) %s", pyBytes(c.Peek(3)))
			s.add("client.bytesAvailable() %d", c.BytesAvailable())
			s.add("client.getChar() %s", pyChar(c.GetChar()))
			s.add("client.bytesAvailable() %d", c.BytesAvailable())
			unget('l')
			s.add("client.bytesAvailable() %d", c.BytesAvailable())
			s.add("client.peek(3) %s", pyBytes(c.Peek(3)))
			unget('Z')
			s.add("client.peek(3) %s", pyBytes(c.Peek(3)))
			s.add("client.bytesAvailable() %d", c.BytesAvailable())
			s.add("client.getChar() %s", pyChar(c.GetChar()))
			s.add("client.readLine() %s", pyLine(c.ReadLine()))
			for _, n := range []int{4, 3, 2, 1, 0} {
				readLine(n)
			}
			s.add("client.canReadLine() %v", c.CanReadLine())
			s.add("client.readLine() %s", pyLine(c.ReadLine()))
			s.add("client.readLine() %s", pyLine(c.ReadLine()))
			s.add("client.canReadLine() %v", c.CanReadLine())
			s.add("client.atEnd() %v", c.AtEnd())
			s.add("client.peek(100) %s", pyBytes(c.Peek(100)))
			s.add("client.readLine() %s", pyLine(c.ReadLine()))
			s.add("client.bytesAvailable() %d", c.BytesAvailable())
			s.add("client.atEnd() %v", c.AtEnd())
			s.add("client.readLine() %s", pyLine(c.ReadLine()))
			s.add("client.getChar() %s", pyChar(c.GetChar()))
			unget('q')
			s.add("client.bytesAvailable() %d", c.BytesAvailable())
			s.add("client.canReadLine() %v", c.CanReadLine())
			s.add("client.readAll() %s", pyBytes(c.ReadAll()))
		})
	}},
	"maxPendingConnections": {run: func(s *scen) {
		srv := s.server("server")
		count := 0
		var clients []*tcp.Socket
		s.do(func() {
			s.add("server.setMaxPendingConnections(2)")
			srv.SetMaxPendingConnections(2)
			s.add("server.maxPendingConnections() %d", srv.MaxPendingConnections())
			_, _ = srv.NewConnection.Connect(func() { count++ })
			require.NoError(s.t, srv.Listen(transport.HostAddressFrom(s.w.serverAddr), 0))
		})
		for i := range 3 {
			actor := fmt.Sprintf("client%d", i+1)
			c := s.socket(actor)
			s.do(func() {
				s.add("%s.connectToHost(127.0.0.1, <port>)", actor)
				require.NoError(s.t, c.ConnectToHost(s.w.serverAddr.String(), srv.ServerPort()))
			})
			clients = append(clients, c)
			// Qt connects the three in order in one pass, so the kernel
			// queues them in that order; slotnet dials each on a goroutine
			// and the order between sockets is the network's
			// (docs/sockets.md), so each waits for the one before.
			s.until(actor+" connected", func() bool { return c.State() == socket.ConnectedState })
		}
		s.until("three connected, two reported", func() bool {
			for _, c := range clients {
				if c.State() != socket.ConnectedState {
					return false
				}
			}
			return count == 2
		})
		// Qt's spin(100): nothing more comes (in the synctest bubble the
		// in-memory world takes no real time).
		time.Sleep(100 * time.Millisecond)
		take := func(name string) {
			p := srv.NextPendingConnection()
			s.add("server.nextPendingConnection() %s", pySocket(p))
			who := "?"
			for i, c := range clients {
				if p != nil && c.LocalPort() == p.PeerPort() {
					who = fmt.Sprint(i + 1)
				}
			}
			s.add("%s.is client%s", name, who)
		}
		s.do(func() {
			s.add("server.newConnection count %d", count)
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
			take("peer1")
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
			take("peer2")
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
			s.add("server.nextPendingConnection() %s", pySocket(srv.NextPendingConnection()))
		})
		s.until("third reported", func() bool { return count == 3 })
		s.do(func() {
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
			take("peer3")
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
		})
	}},
	"pauseAccepting": {run: func(s *scen) {
		srv := s.srv
		count := 0
		var clients []*tcp.Socket
		s.do(func() {
			require.NoError(s.t, spy.On0(s.tr.Rec, "server.newConnection", &srv.NewConnection))
			_, _ = srv.NewConnection.Connect(func() { count++ })
		})
		connect := func(i int) {
			actor := fmt.Sprintf("client%d", i)
			c := s.socket(actor)
			s.do(func() {
				s.add("%s.connectToHost(127.0.0.1, <port>)", actor)
				require.NoError(s.t, c.ConnectToHost(s.w.serverAddr.String(), srv.ServerPort()))
			})
			clients = append(clients, c)
		}
		connect(1)
		s.until("first", func() bool { return count == 1 && clients[0].State() == socket.ConnectedState })
		s.do(func() {
			s.add("server.pauseAccepting()")
			srv.PauseAccepting()
		})
		for i := 2; i <= 6; i++ {
			connect(i)
		}
		s.until("five connected", func() bool {
			for _, c := range clients {
				if c.State() != socket.ConnectedState {
					return false
				}
			}
			return true
		})
		// Qt's spin(400): nothing comes while paused.
		time.Sleep(400 * time.Millisecond)
		s.do(func() {
			s.add("server.newConnection count %d", count)
			s.add("server.hasPendingConnections() %v", srv.HasPendingConnections())
			s.add("server.isListening() %v", srv.IsListening())
			s.add("server.resumeAccepting()")
			srv.ResumeAccepting()
		})
		s.until("all six", func() bool { return count == 6 })
		s.do(func() { s.add("server.newConnection count %d", count) })
	}},
	"errorStrings": {run: func(s *scen) {
		report := func(c *tcp.Socket) {
			s.add("client.error() %s", c.Error())
			s.add("client.errorString() %s", pyStr(c.ErrorString()))
		}
		connect := func(c *tcp.Socket, host string, shown string, port int) {
			s.do(func() {
				s.add("client.connectToHost(%s, %s)", shown, pyPort(port))
				require.NoError(s.t, c.ConnectToHost(host, port))
			})
		}
		here := s.w.serverAddr.String()
		c := s.socket("")
		connect(c, here, "127.0.0.1", s.srv.ServerPort())
		s.until("a pending connection", s.srv.HasPendingConnections)
		s.do(func() { require.NoError(s.t, s.srv.NextPendingConnection().Close()) })
		s.until("client unconnected", unconnected(c))
		s.do(func() { report(c) })

		c = s.socket("")
		connect(c, here, "127.0.0.1", s.refusedPort())
		s.until("refused", unconnected(c))
		s.do(func() { report(c) })

		c = s.socket("")
		connect(c, s.w.missing, "nosuchhost.invalid", 80)
		s.until("not found", unconnected(c))
		s.do(func() { report(c) })

		c = s.socket("")
		connect(c, here, "127.0.0.1", s.srv.ServerPort())
		s.until("connected", func() bool { return c.State() == socket.ConnectedState && s.srv.HasPendingConnections() })
		s.do(func() {
			_ = s.srv.NextPendingConnection()
			s.add("client.waitForReadyRead(50) %v", c.WaitForReadyRead(50*time.Millisecond) == nil)
			report(c)
		})

		// The server the bind collides with must be on the client's host:
		// on the in-memory network that is not the scenario's server's.
		var local *tcp.Server
		s.do(func() {
			var err error
			local, err = tcp.NewServer(socket.WithTransport(s.w.client), socket.WithLoop(s.l))
			require.NoError(s.t, err)
			require.NoError(s.t, local.Listen(transport.HostAddressFrom(s.w.clientAddr), 0))
		})
		s.t.Cleanup(func() { s.do(local.Destroy) })
		c = s.socket("")
		s.do(func() {
			s.add("client.bind(127.0.0.1, <port>) %v", c.Bind(s.w.clientAddr, local.ServerPort(), transport.DefaultForPlatform) == nil)
			s.add("client.state() %s", c.State())
			report(c)
		})
		s2 := s.server("")
		s.do(func() {
			s.add("server.listen(127.0.0.1, <port>) %v", s2.Listen(transport.HostAddressFrom(s.w.serverAddr), s.srv.ServerPort()) == nil)
			s.add("server.serverError() %s", s2.ServerError())
			s.add("server.errorString() %s", pyStr(s2.ErrorString()))
		})
	}},
	"disconnectWhileLookingUp_close":              {run: disconnectWhileLookingUp(true)},
	"disconnectWhileLookingUp_disconnectFromHost": {run: disconnectWhileLookingUp(false)},
}

// disconnectWhileLookingUp is disconnectWhileLookingUp.py: close (or
// disconnectFromHost) during the name lookup does not cancel the attempt.
func disconnectWhileLookingUp(useClose bool) func(s *scen) {
	return func(s *scen) {
		var peers []*tcp.Socket
		s.do(func() {
			require.NoError(s.t, spy.On0(s.tr.Rec, "server.newConnection", &s.srv.NewConnection))
			// accept_into: take and watch each connection in the slot.
			_, _ = s.srv.NewConnection.Connect(func() {
				for s.srv.HasPendingConnections() {
					p := s.srv.NextPendingConnection()
					name := "peer"
					if len(peers) > 0 {
						name = fmt.Sprintf("peer%d", len(peers)+1)
					}
					peers = append(peers, p)
					s.tr.Watch(s.t, name, p.Engine)
				}
			})
		})
		c := s.socket("client")
		s.do(func() {
			s.add("client.connectToHost(localhost, <port>)")
			require.NoError(s.t, c.ConnectToHost(s.w.serverName, s.srv.ServerPort()))
			s.add("client.state() %s", c.State())
			if useClose {
				s.add("client.close()")
				require.NoError(s.t, c.Close())
			} else {
				s.add("client.disconnectFromHost()")
				require.NoError(s.t, c.DisconnectFromHost())
			}
			s.add("client.state() %s", c.State())
			s.add("client.error() %s", c.Error())
			s.add("client.isOpen() %v", c.IsOpen())
			s.add("client.openMode() %s", c.OpenMode())
		})
		// Qt's spin(300).
		time.Sleep(300 * time.Millisecond)
		s.do(func() {
			s.add("client.state() %s", c.State())
			s.add("server.hasPendingConnections() %v", s.srv.HasPendingConnections())
			s.end()
		})
	}
}

// closeVsDisconnect is closeVsDisconnect.py: close (or disconnectFromHost)
// with 5 bytes unread and 5 unsent.
func closeVsDisconnect(useClose bool) func(s *scen) {
	return func(s *scen) {
		c, p := s.pair()
		var got []byte
		s.do(func() {
			_, _ = p.ReadyRead.Connect(func() { got = append(got, p.ReadAll()...) })
			s.add("peer.write(b'Hello') %s", pyN(p.Write([]byte("Hello"))))
		})
		s.until("client has them", func() bool { return c.BytesAvailable() == 5 && p.BytesToWrite() == 0 })
		props := func(more bool) {
			s.add("client.state() %s", c.State())
			s.add("client.isOpen() %v", c.IsOpen())
			s.add("client.openMode() %s", c.OpenMode())
			s.add("client.bytesAvailable() %d", c.BytesAvailable())
			if more {
				s.add("client.bytesToWrite() %d", c.BytesToWrite())
			}
			s.add("client.error() %s", c.Error())
		}
		s.do(func() {
			s.add("client.write(b'World') %s", pyN(c.Write([]byte("World"))))
			if useClose {
				s.add("client.close()")
				require.NoError(s.t, c.Close())
			} else {
				s.add("client.disconnectFromHost()")
				require.NoError(s.t, c.DisconnectFromHost())
			}
			props(true)
		})
		s.until("both unconnected", func() bool { return unconnected(c)() && unconnected(p)() })
		s.do(func() {
			props(false)
			s.add("client.read(10) %s", pyResult(c.ReadN(10)))
			s.add("peer.read total %d %s", len(got), pyBytes(got))
		})
	}
}

// end ends the trace where the script exits (finish()): what the loop
// does afterwards is not Qt's trace. Call it on the loop.
func (s *scen) end() { s.ended = append(s.tr.Take(), "") }

func (s *scen) add(format string, args ...any) { s.tr.Add(format, args...) }

// server makes a server on the loop that is not listening, its
// newConnection traced as actor (if not "").
func (s *scen) server(actor string) *tcp.Server {
	var srv *tcp.Server
	s.do(func() {
		var err error
		srv, err = tcp.NewServer(socket.WithTransport(s.w.server), socket.WithLoop(s.l))
		require.NoError(s.t, err)
		if actor != "" {
			require.NoError(s.t, spy.On0(s.tr.Rec, actor+".newConnection", &srv.NewConnection))
		}
	})
	s.t.Cleanup(func() { s.do(srv.Destroy) })
	return srv
}

// pair is the scripts' connected_pair: a client connected by address to
// the scenario's server and the server's socket for it, both traced.
func (s *scen) pair() (c, p *tcp.Socket) {
	s.do(func() { require.NoError(s.t, spy.On0(s.tr.Rec, "server.newConnection", &s.srv.NewConnection)) })
	c = s.socket("client")
	s.do(func() {
		s.add("client.connectToHost(127.0.0.1, <port>)")
		require.NoError(s.t, c.ConnectToHost(s.w.serverAddr.String(), s.srv.ServerPort()))
	})
	s.until("connected", func() bool { return c.State() == socket.ConnectedState && s.srv.HasPendingConnections() })
	return c, s.peer("peer")
}

// sockState prints a socket's properties as constructing.py does.
func (s *scen) sockState(c *tcp.Socket, actor string) {
	s.add("%s.state() %s", actor, c.State())
	s.add("%s.error() %s", actor, c.Error())
	s.add("%s.errorString() %s", actor, pyStr(c.ErrorString()))
	s.add("%s.peerName() %s", actor, pyStr(c.PeerName()))
	s.add("%s.peerAddress() %s", actor, s.addr(c.PeerAddress()))
	s.add("%s.peerPort() %s", actor, pyPort(c.PeerPort()))
	s.add("%s.localAddress() %s", actor, s.addr(c.LocalAddress()))
	s.add("%s.localPort() %s", actor, pyPort(c.LocalPort()))
	s.add("%s.isValid() %v", actor, c.IsValid())
	s.add("%s.isOpen() %v", actor, c.IsOpen())
	s.add("%s.socketType() %s", actor, c.SocketType())
	s.add("%s.openMode() %s", actor, c.OpenMode())
	s.add("%s.bytesAvailable() %d", actor, c.BytesAvailable())
	s.add("%s.bytesToWrite() %d", actor, c.BytesToWrite())
}

func (s *scen) srvState(srv *tcp.Server, actor string) {
	s.add("%s.serverError() %s", actor, srv.ServerError())
	s.add("%s.errorString() %s", actor, pyStr(srv.ErrorString()))
	s.add("%s.serverAddress() %s", actor, s.hostAddr(srv.ServerAddress()))
	s.add("%s.serverPort() %s", actor, pyPort(srv.ServerPort()))
}

// addr prints an address as the scripts do; the in-memory network's
// hosts stand for 127.0.0.1.
func (s *scen) addr(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "Null"
	case a == s.w.serverAddr || a == s.w.clientAddr:
		return "127.0.0.1"
	}
	return a.String()
}

func (s *scen) hostAddr(h transport.HostAddress) string {
	if h.IsNull() {
		return "Null"
	}
	return s.addr(h.Addr())
}

func pyPort(p int) string {
	if p == 0 || p == -1 {
		return fmt.Sprint(p)
	}
	return "<port>"
}

func pyStr(v string) string {
	if v == "" {
		return `""`
	}
	return v
}

func pySocket(c *tcp.Socket) string {
	if c == nil {
		return "None"
	}
	return "socket"
}

// pyN is a write's result: Qt's -1 for an error.
func pyN(n int, err error) string {
	if err != nil {
		return "-1"
	}
	return fmt.Sprint(n)
}

// pyResult is a read's result: Qt's -1 for an error.
func pyResult(b []byte, err error) string {
	if err != nil {
		return "-1"
	}
	return pyBytes(b)
}

// pyLine is readLine() without a size: Qt's QByteArray form, which has no
// -1 (an error reads as empty).
func pyLine(b []byte, _ error) string { return pyBytes(b) }

func pyChar(c byte, ok bool) string {
	if !ok {
		return "false"
	}
	return "true " + pyBytes([]byte{c})
}

// pyBytes is Python's repr of b, or len=N beyond 64 bytes.
func pyBytes(b []byte) string {
	if len(b) > 64 {
		return fmt.Sprintf("len=%d", len(b))
	}
	q := byte('\'')
	if bytes.IndexByte(b, '\'') >= 0 && bytes.IndexByte(b, '"') < 0 {
		q = '"'
	}
	var sb strings.Builder
	sb.WriteByte('b')
	sb.WriteByte(q)
	for _, c := range b {
		switch {
		case c == q || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(q)
	return sb.String()
}

// qtGolden is testdata/qt/golden/<name>.txt without its markers, with
// diff applied.
func qtGolden(t *testing.T, name string, diff map[string]string) []string {
	t.Helper()
	raw, err := readLines(filepath.Join("testdata", "qt", "golden", name+".txt"))
	require.NoError(t, err)
	var out []string
	used := map[string]bool{}
	for _, l := range qtcompat.Events(raw) {
		if r, ok := diff[l]; ok {
			used[l] = true
			if r == "" {
				continue
			}
			l = r
		}
		out = append(out, l)
	}
	for l := range diff {
		assert.True(t, used[l], "diff line %q is not in the golden trace", l)
	}
	return out
}

func TestQtReplay(t *testing.T) {
	for name, r := range qtReplays {
		t.Run(name, func(t *testing.T) {
			want := normalize(qtGolden(t, name, r.diff))
			both(t, func(t *testing.T, w world) {
				s := newScen(t, w)
				r.run(s)
				lines := s.tr.Take()
				if s.ended != nil {
					lines = s.ended[:len(s.ended)-1]
				}
				var got []string
				for _, l := range lines {
					if !slices.ContainsFunc(r.skip, func(sk string) bool { return l == sk || strings.HasPrefix(l, sk+" ") }) {
						got = append(got, l)
					}
				}
				assert.Equal(t, want, normalize(got), "slotnet's trace:\n%s", strings.Join(got, "\n"))
			})
		})
	}
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n"), nil
}
