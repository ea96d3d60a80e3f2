"""increaseReadBufferSize: a 256-byte read buffer holds 256 of the 512
bytes the peer sent; raising it to 384 lets 384 in, to 1024 all 512; and
with the limit 256 then 0 (unlimited) again the whole second write."""
from tracelib import (LOCALHOST, Port, QAbstractSocket, QTcpSocket, call, do, finish,
                      listen, spin, step, wait_until, watch, watch_server)

srv = watch_server("server", listen())
c = QTcpSocket()
watch("client", c)
step("setReadBufferSize(256), connect")
do("client", c, "setReadBufferSize", 256)
call("client", c, "readBufferSize")
do("client", c, "connectToHost", LOCALHOST, Port(srv.serverPort()))
wait_until("connected", lambda: c.state() == QAbstractSocket.ConnectedState
           and srv.hasPendingConnections())
p = srv.nextPendingConnection()
watch("peer", p)
data = b"a" * 256


def settle(want):
    """Waits until the client holds want bytes, then 50 ms more to show
    that no more come in."""
    wait_until("%d bytes" % want, lambda: c.bytesAvailable() >= want)
    spin(50)


step("peer writes 256 + 256 bytes")
call("peer", p, "write", data)
call("peer", p, "write", data)
call("peer", p, "waitForBytesWritten", 2000)
settle(256)
call("client", c, "bytesAvailable")
step("setReadBufferSize(384)")
do("client", c, "setReadBufferSize", 384)
call("client", c, "bytesAvailable")
settle(384)
call("client", c, "bytesAvailable")
step("setReadBufferSize(1024)")
do("client", c, "setReadBufferSize", 1024)
call("client", c, "bytesAvailable")
settle(512)
call("client", c, "bytesAvailable")
call("client", c, "readAll")
step("again: peer writes 256 + 256 bytes, limit 256 then 0")
call("peer", p, "write", data)
call("peer", p, "write", data)
call("peer", p, "waitForBytesWritten", 2000)
do("client", c, "setReadBufferSize", 256)
call("client", c, "bytesAvailable")
settle(256)
call("client", c, "bytesAvailable")
do("client", c, "setReadBufferSize", 0)
call("client", c, "bytesAvailable")
settle(512)
call("client", c, "bytesAvailable")
call("client", c, "readAll")
finish()
