"""serverDisconnectWithBuffered: the server's socket sends one byte,
flushes and is deleted at once; the client, blocking (waitFor... only, no
event loop), still reads the byte, then sees the close: one disconnected,
the last stateChanged Unconnected."""
from PyQt5 import sip

from tracelib import (QHostAddress, QTcpServer, QTcpSocket, Port,
                      call, do, expect, finish, step, watch, LOCALHOST)

srv = QTcpServer()
expect("listen", srv.listen(QHostAddress(LOCALHOST), 0))
c = QTcpSocket()
watch("client", c)
step("connect; the server accepts (blocking)")
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
call("server", srv, "waitForNewConnection", 2000)
p = srv.nextPendingConnection()
step("the server's socket: putChar, flush, delete")
call("peer", p, "putChar", b"\0")
call("peer", p, "flush")
sip.delete(p)
step("client: waitForConnected, waitForReadyRead, read")
call("client", c, "waitForConnected", 2000)
call("client", c, "state")
call("client", c, "waitForReadyRead", 2000)
call("client", c, "read", 128)
step("client: waitForDisconnected")
call("client", c, "waitForDisconnected", 2000)
call("client", c, "state")
call("client", c, "error")
call("client", c, "read", 128)
finish()
