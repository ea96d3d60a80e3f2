"""disconnectWhileConnectingNoEventLoop: Qt's blocking variant: write and
disconnectFromHost while Connecting, then waitForDisconnected, with no
event loop running; the server (also blocking) receives every byte."""
from tracelib import (LOCALHOST, Port, QHostAddress, QTcpServer, QTcpSocket, call, do,
                      expect, finish, note, step, watch)

DATA = b"Hello, world!"
srv = QTcpServer()
expect("listen", srv.listen(QHostAddress(LOCALHOST), 0))
c = QTcpSocket()
watch("client", c)
step("connectToHost, write, disconnectFromHost, waitForDisconnected")
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
call("client", c, "write", DATA)
do("client", c, "disconnectFromHost")
call("client", c, "state")
call("client", c, "waitForDisconnected", 2000)
call("client", c, "state")
call("client", c, "error")
step("the server, blocking")
call("server", srv, "waitForNewConnection", 2000)
p = srv.nextPendingConnection()
watch("peer", p, skip=("readyRead",))
got = bytearray()
for _ in range(10):
    got.extend(bytes(p.readAll()))
    if not p.waitForReadyRead(200):
        break
got.extend(bytes(p.readAll()))
note("peer", "read total %d equal %s" % (len(got), "true" if bytes(got) == DATA else "false"))
call("peer", p, "state")
finish()
