"""closeVsDisconnect: close() and disconnectFromHost() on a connected
socket holding 5 unread bytes and 5 unsent ones. Argument: "close" or
"disconnectFromHost"."""
import sys

from tracelib import (QAbstractSocket, call, connected_pair, do, finish, listen, note,
                      step, wait_until, watch_server)

how = sys.argv[1]
srv = watch_server("server", listen())
step("connect")
c, p = connected_pair(srv, skip=())
got = bytearray()
p.readyRead.connect(lambda: got.extend(bytes(p.readAll())))
step("peer sends 5 bytes the client does not read")
call("peer", p, "write", b"Hello")
wait_until("client has them", lambda: c.bytesAvailable() == 5 and p.bytesToWrite() == 0)
step("client writes 5 bytes and calls %s() in the same pass" % how)
call("client", c, "write", b"World")
do("client", c, how)
for m in ["state", "isOpen", "openMode", "bytesAvailable", "bytesToWrite", "error"]:
    call("client", c, m)
wait_until("both unconnected", lambda: c.state() == QAbstractSocket.UnconnectedState
           and p.state() == QAbstractSocket.UnconnectedState)
step("after")
for m in ["state", "isOpen", "openMode", "bytesAvailable", "error"]:
    call("client", c, m)
call("client", c, "read", 10)
note("peer", "read total %d %r" % (len(got), bytes(got)))
finish()
