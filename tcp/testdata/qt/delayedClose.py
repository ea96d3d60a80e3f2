"""delayedClose: disconnectFromHost with 100 kB pending goes to Closing at
once, flushes every byte, then Unconnected. How the client's writes and
the peer's reads split is the kernel's: the script prints totals (the
client's bytesWritten sum, the peer's bytes read)."""
from tracelib import (LOCALHOST, Port, QAbstractSocket, QTcpSocket, call, do, finish,
                      listen, note, step, wait_until, watch, watch_server)

N = 100 * 1024
srv = watch_server("server", listen())
step("connect")
c = QTcpSocket()
written = [0]
watch("client", c, skip=("bytesWritten",))
c.bytesWritten.connect(lambda n: written.__setitem__(0, written[0] + n))
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
wait_until("connected", lambda: c.state() == QAbstractSocket.ConnectedState
           and srv.hasPendingConnections())
p = srv.nextPendingConnection()
got = [0]
watch("peer", p, skip=("readyRead",))
p.readyRead.connect(lambda: got.__setitem__(0, got[0] + len(bytes(p.readAll()))))

step("client writes 100 kB and disconnects at once")
call("client", c, "write", b"x" * N)
call("client", c, "bytesToWrite")
do("client", c, "disconnectFromHost")
call("client", c, "state")
call("client", c, "bytesToWrite")
call("client", c, "openMode")
wait_until("client unconnected and peer got every byte",
           lambda: c.state() == QAbstractSocket.UnconnectedState and got[0] == N
           and p.state() == QAbstractSocket.UnconnectedState)
step("flushed and closed")
note("client", "bytesWritten total %d" % written[0])
note("peer", "read total %d" % got[0])
for m in ["state", "error", "bytesToWrite", "openMode"]:
    call("client", c, m)
for m in ["state", "error", "errorString"]:
    call("peer", p, m)
finish()
