"""remoteCloseError: the peer closes; the client reports
RemoteHostClosedError while still connected, then disconnects; its
buffered data stays readable, and the same socket connects again."""
from tracelib import (LOCALHOST, QAbstractSocket, Port, call, connected_pair, do,
                      finish, listen, step, wait_until, watch_server)

srv = watch_server("server", listen())
step("connect")
c, p = connected_pair(srv)
c.errorOccurred.connect(lambda e: call("client", c, "state"))
c.disconnected.connect(lambda: call("client", c, "state"))

step("peer writes 5 bytes")
call("peer", p, "write", b"Hello")
wait_until("client has the bytes", lambda: c.bytesAvailable() == 5 and p.bytesToWrite() == 0)

step("peer closes")
do("peer", p, "close")
call("peer", p, "state")
wait_until("client unconnected", lambda: c.state() == QAbstractSocket.UnconnectedState)
step("client after the remote close")
for m in ["state", "error", "errorString", "isValid", "openMode", "bytesAvailable",
          "atEnd", "peerPort"]:
    call("client", c, m)
call("client", c, "read", 10)
call("client", c, "read", 10)
call("client", c, "atEnd")

step("the same socket connects again")
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
wait_until("reconnected", lambda: c.state() == QAbstractSocket.ConnectedState
           and srv.hasPendingConnections())
step("reconnected")
for m in ["state", "error", "errorString", "bytesAvailable", "isValid"]:
    call("client", c, m)
finish()
