"""connectSuccess: the full trace of a connection by address, client and
accepted socket, and the properties of both once connected."""
from tracelib import (LOCALHOST, QAbstractSocket, QTcpSocket, Port, call, do, finish,
                      listen, step, wait_until, watch, watch_server)

srv = watch_server("server", listen())
c = QTcpSocket()
watch("client", c)
c.connected.connect(lambda: call("client", c, "state"))
c.hostFound.connect(lambda: call("client", c, "state"))

step("connectToHost by address")
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
call("client", c, "state")
call("client", c, "openMode")
call("client", c, "isValid")
call("client", c, "peerName")
wait_until("connected and accepted",
           lambda: c.state() == QAbstractSocket.ConnectedState and srv.hasPendingConnections())
step("connected")
call("server", srv, "hasPendingConnections")
p = call("server", srv, "nextPendingConnection")
watch("peer", p)
call("server", srv, "hasPendingConnections")
call("server", srv, "nextPendingConnection")
for who, s in [("client", c), ("peer", p)]:
    for m in ["state", "error", "errorString", "isValid", "openMode", "peerName",
              "peerAddress", "peerPort", "localAddress", "localPort", "bytesAvailable",
              "bytesToWrite", "atEnd", "canReadLine", "readBufferSize"]:
        call(who, s, m)

step("connectToHost by name (localhost) on a fresh socket")
c2 = QTcpSocket()
watch("client2", c2)
do("client2", c2, "connectToHost", "localhost", Port(srv.serverPort()))
call("client2", c2, "state")
wait_until("connected by name",
           lambda: c2.state() == QAbstractSocket.ConnectedState and srv.hasPendingConnections())
step("connected by name")
call("client2", c2, "peerName")
call("client2", c2, "peerAddress")
finish()
