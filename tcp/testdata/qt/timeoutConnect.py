"""timeoutConnect: waitForConnected times out on a connect that the peer's
kernel never answers, which aborts the attempt. The listener is a plain
Python socket with backlog 0 whose queue is filled first, so Linux drops
the next SYN (loopback only, no outside network needed)."""
import socket

from tracelib import (LOCALHOST, Port, QAbstractSocket, QTcpSocket, call, do, finish,
                      listen, spin, step, wait_until, watch, watch_server)

ls = socket.socket()
ls.bind((LOCALHOST, 0))
ls.listen(0)
fillers = []
for _ in range(3):
    f = socket.socket()
    f.setblocking(False)
    try:
        f.connect(ls.getsockname())
    except BlockingIOError:
        pass
    fillers.append(f)

c = QTcpSocket()
watch("client", c)
step("connect to a listener whose queue is full; waitForConnected(300)")
do("client", c, "connectToHost", LOCALHOST, Port(ls.getsockname()[1]))
call("client", c, "waitForConnected", 300)
for m in ["state", "error", "errorString", "isOpen", "openMode", "peerPort"]:
    call("client", c, m)
step("nothing follows (200 ms)")
spin(200)
call("client", c, "state")
step("the same socket connects to a live server")
srv = watch_server("server", listen())
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
wait_until("connected", lambda: c.state() == QAbstractSocket.ConnectedState
           and srv.hasPendingConnections())
call("client", c, "error")
finish()
