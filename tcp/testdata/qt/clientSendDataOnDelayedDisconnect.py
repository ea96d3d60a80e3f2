"""clientSendDataOnDelayedDisconnect: write then disconnectFromHost at
once; the server receives exactly the bytes written."""
from tracelib import (QAbstractSocket, call, connected_pair, do, finish, listen,
                      note, step, wait_until, watch_server)

DATA = b"Hello, world!\n" * 20  # 280 bytes
srv = watch_server("server", listen())
step("connect")
c, p = connected_pair(srv, skip=("readyRead",))
got = bytearray()
p.readyRead.connect(lambda: got.extend(bytes(p.readAll())))

step("client writes and disconnects")
call("client", c, "write", DATA)
do("client", c, "disconnectFromHost")
call("client", c, "state")
wait_until("client unconnected, peer has every byte and saw the close",
           lambda: c.state() == QAbstractSocket.UnconnectedState
           and p.state() == QAbstractSocket.UnconnectedState)
step("peer's bytes")
note("peer", "read total %d equal %s" % (len(got), "true" if bytes(got) == DATA else "false"))
call("client", c, "state")
call("peer", p, "bytesAvailable")
finish()
